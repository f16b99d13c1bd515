"""Biểu số 06/VPCP/KSTT: the report data and its query, and its CSV and XLSX writers."""
