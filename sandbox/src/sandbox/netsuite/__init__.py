"""Emulator of NetSuite's SuiteTalk REST web services: SuiteQL, records, TBA and M2M auth."""

from sandbox.netsuite.app import NetSuiteEmulator

__all__ = ["NetSuiteEmulator"]
