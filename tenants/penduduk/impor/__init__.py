"""Import and export of the population register in OpenSID's spreadsheet layout (xlsx/xlsm/csv).

readers: what a file is (by content) and its rows; columns: the layout; validation: row checks;
writer: the bulk write; services: the job; export: the register back out in the same layout.
"""
