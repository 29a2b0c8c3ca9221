// marsad: the words a page's scripts write, in the reader's interface language. The page renders them
// into data attributes of an element (data-msg-NAME, data-plural-NAME: the CLDR forms as JSON);
// counts pick their form with Intl.PluralRules for the page's language (Arabic has six).
"use strict";
window.marsadWords = function (el) {
  return {
    msg: function (name) { return el.getAttribute("data-msg-" + name) || ""; },
    counted: function (name, n) {
      var forms = {};
      try { forms = JSON.parse(el.getAttribute("data-plural-" + name) || "{}"); } catch (e) { /* none */ }
      var form = "other";
      try { form = new Intl.PluralRules(document.documentElement.lang).select(n); } catch (e) { /* other */ }
      return (forms[form] || forms.other || "{n}").replace("{n}", String(n));
    }
  };
};
