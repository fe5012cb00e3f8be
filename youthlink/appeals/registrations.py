"""What the requests feature (听结办) contributes to the platform: menu entries, dashboard figures,
periodic jobs, the demo builder."""
