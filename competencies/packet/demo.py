"""Demo data of the completion packet: the graduate's transcript and completion application,
and the interim credentials of every work process the demo apprentices completed. Written
through the services the sweep calls (loading the demo enqueues nothing), so a second run
files nothing new."""

from portal.demo import DemoAccount, demo_loader

from . import services


@demo_loader(order=48)
def load_packets_and_credentials() -> list[DemoAccount]:
    for apprenticeship_id in services.packets_due():
        services.packet_issue(apprenticeship_id=apprenticeship_id)
    for apprenticeship_id in services.credentials_due():
        services.credentials_issue_due(apprenticeship_id=apprenticeship_id)
    return []
