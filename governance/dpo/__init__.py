"""What a data-protection officer uses: test bench, audit search, inventory, DPIA report.

The CLI calls these now; the review app's DPO views call the same functions.
"""
