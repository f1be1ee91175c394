"""Council tax journeys: balance, bands, paying, discounts, exemptions and moving home."""
