"""Data quality around a batch: validation runs and profiles, the gates that hold a batch, the audit report."""
