"""The monitor's desk: feeds kept in the store and polled on their own schedules, watchlists and the
alerts they raise (webhooks, JSONL), the outlet registry (country, language, kind) with coverage and
silences, and exports of stories and their articles."""
