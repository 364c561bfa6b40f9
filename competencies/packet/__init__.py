"""The completion packet (transcript and completion application) and the interim credentials:
PDFs the portal generates from the record and files in the vault, each verifiable.

- record.py reads what the documents print (one place, so the tests compare the same figures);
- transcript.py, application.py, credentials.py lay each document out (portal/pdf.py);
- services.py files them (issue, regenerate, supersede), tasks.py runs that after commit and
  sweeps for what a lost task left undone.
"""
