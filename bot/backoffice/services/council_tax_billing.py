"""Council tax arithmetic: band charges, the financial year, and instalment schedules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

# Band D for 2025/26; other years follow the council's assumed annual rise.
BAND_D_BASE_YEAR = 2025
BAND_D_BASE_PENCE = 210_000
ANNUAL_RISE = Decimal("1.0499")
# Statutory proportions of band D (Local Government Finance Act 1992, s.5).
BAND_RATIOS: dict[str, tuple[int, int]] = {
    "A": (6, 9), "B": (7, 9), "C": (8, 9), "D": (9, 9),
    "E": (11, 9), "F": (13, 9), "G": (15, 9), "H": (18, 9),
}
SINGLE_PERSON_DISCOUNT = Decimal("0.25")
PAYMENT_DAYS = (1, 8, 15, 23)
INSTALMENT_OPTIONS = (10, 12)


@dataclass(frozen=True)
class Arrangement:
    effective_from: date
    instalments: int
    payment_day: int


@dataclass(frozen=True)
class Instalment:
    due_date: date
    amount_pence: int


def financial_year_of(day: date) -> int:
    """The year the financial year containing `day` starts in (April to March)."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def _round_pence(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def band_d_pence(year: int) -> int:
    return _round_pence(Decimal(BAND_D_BASE_PENCE) * ANNUAL_RISE ** (year - BAND_D_BASE_YEAR))


def band_charge_pence(band: str, year: int) -> int:
    numerator, denominator = BAND_RATIOS[band]
    return _round_pence(Decimal(band_d_pence(year)) * numerator / denominator)


def amount_payable_pence(
    band: str, year: int, *, discount: str | None, exemption_class: str | None
) -> int:
    if exemption_class:
        return 0
    charge = band_charge_pence(band, year)
    if discount == "single_person":
        return charge - _round_pence(Decimal(charge) * SINGLE_PERSON_DISCOUNT)
    return charge


def money(pence: int) -> str:
    """Pence -> "1866.67": amounts travel as decimal strings, never floats."""
    sign = "-" if pence < 0 else ""
    return f"{sign}{abs(pence) // 100}.{abs(pence) % 100:02d}"


def _instalment_months(year: int, instalments: int) -> list[tuple[int, int]]:
    """Ten instalments run April to January; twelve run April to March."""
    months = [(year, m) for m in range(4, 13)] + [(year + 1, m) for m in range(1, 4)]
    return months[:instalments]


def _split(total: int, count: int) -> list[int]:
    """Whole pounds each, the odd pounds and pence on the first, as councils bill."""
    if count == 0 or total == 0:
        return []
    each = (total // count) // 100 * 100
    return [total - each * (count - 1)] + [each] * (count - 1)


def _spread(total: int, dates: list[date]) -> list[Instalment]:
    """Nothing left to pay gives no instalments, whatever dates the plan offers."""
    amounts = _split(total, len(dates))
    return [Instalment(d, p) for d, p in zip(dates[:len(amounts)], amounts, strict=True)]


def schedule(total: int, arrangements: list[Arrangement], year: int) -> list[Instalment]:
    """The year's instalments: the arrangement in force on 1 April, re-spread at each change.

    A change keeps the instalments already due before it took effect and spreads what is
    left of the year's charge over the new plan's remaining months.
    """
    if total == 0 or not arrangements:
        return []
    start, end = date(year, 4, 1), date(year + 1, 3, 31)
    ordered = sorted(arrangements, key=lambda a: a.effective_from)
    opening = next((a for a in reversed(ordered) if a.effective_from <= start), ordered[0])
    dates = [date(y, m, opening.payment_day)
             for y, m in _instalment_months(year, opening.instalments)]
    items = _spread(total, dates)
    for change in ordered:
        if not start < change.effective_from <= end:
            continue
        kept = [i for i in items if i.due_date < change.effective_from]
        kept_months = {(i.due_date.year, i.due_date.month) for i in kept}
        new_dates = [
            date(y, m, change.payment_day)
            for y, m in _instalment_months(year, change.instalments)
            if (y, m) not in kept_months and date(y, m, change.payment_day) >= change.effective_from
        ]
        remaining = total - sum(i.amount_pence for i in kept)
        if remaining > 0 and not new_dates:
            new_dates = [change.effective_from]
        items = kept + _spread(remaining, new_dates)
    return items


def first_change_date(today: date, notice_days: int = 14) -> date:
    """Banks need notice to change a Direct Debit; the stub applies 14 days to every change."""
    return today + timedelta(days=notice_days)
