"""Importing staff registers and training records from CSV and XLSX files: the ASC-WDS bulk upload layouts and
Care Network's own templates.

`parsing` reads a file into rows, `layouts` recognises its layout from the header row, `training` and `staff` check
each row and write the valid ones, `runs` holds the services that drive an `ImportRun` through checking and writing.
"""
