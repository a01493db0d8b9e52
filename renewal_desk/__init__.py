"""Renewal Desk (街区更新议事台): the sub-district's offline desk for neighbourhood renewal."""

__version__ = "0.1.0"
APP_NAME = "RenewalDesk"
APP_ORG = "RenewalDesk"
