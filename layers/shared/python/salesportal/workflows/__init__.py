"""Business processes of several steps: typed in and out, ports (repositories, gateways, clock) handed in."""
