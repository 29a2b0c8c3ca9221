"""marsad (مرصد): an Arabic-first, multilingual news observatory.

Raw news documents go in; clean articles, duplicate groups and same-event stories come out.
See DESIGN.md in the shared folder for the data flow; one sub-package per stage.
"""

__version__ = "0.1.0"
