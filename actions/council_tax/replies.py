"""What the assistant says about council tax: plain words, pounds and pence, no jargon."""

from __future__ import annotations

from decimal import Decimal

from actions.backoffice.council_tax import (
    AccountSummary,
    Application,
    BandLookup,
    DirectDebit,
    InstalmentPlan,
    MoveNotification,
)
from actions.common.parsing import format_money
from actions.council_tax.parsing import long_date, ordinal

PAY_URL = "https://www.anytown.gov.uk/pay/council-tax"
DIRECT_DEBIT_URL = "https://www.anytown.gov.uk/council-tax/direct-debit"
REDUCTION_URL = "https://www.anytown.gov.uk/council-tax-reduction"
VOA_URL = "https://www.gov.uk/challenge-council-tax-band"
# Why verification cannot go on, by the slot that says so; each ends with an offer of staff.
VERIFICATION_REFUSED = {
    # The back office's limit for the account number: said the same whether or not the
    # details given were right.
    "ct_too_many_attempts": "Sorry, there have been too many attempts to confirm the details "
    "for this account, so for its security I can't check them again for now. Please try again "
    "later, or a member of staff can help you. Would you like to talk to a person?",
    "ct_locked": "Sorry, those details still don't match. For your security I can't check "
    "account details again in this conversation. A member of staff can help you confirm who "
    "you are. Would you like to talk to a person?",
}


def balance(summary: AccountSummary) -> str:
    lines = [f"Your council tax for {summary.financial_year} (band {summary.band}, "
             f"{summary.property_label}):"]
    if summary.exemptions:
        lines.append(f"- {summary.exemptions[0]}, so there is nothing to pay.")
        return "\n".join(lines)
    bill = f"- This year's bill: {format_money(summary.amount_payable)}"
    if summary.discounts:
        bill += f", after {summary.discounts[0].lower()}"
    lines += [bill, f"- Paid so far this year: {format_money(summary.paid_this_year)}"]
    still = f"- Still to pay: {format_money(summary.balance)}"
    if summary.arrears > 0:
        still += f", of which {format_money(summary.arrears)} is overdue"
    lines.append(still)
    if summary.next_instalment:
        lines.append(f"- Next instalment: {format_money(summary.next_instalment.amount)} on "
                     f"{long_date(summary.next_instalment.due_date)} "
                     f"({summary.payment_method})")
    if summary.payments:
        received = ", ".join(f"{format_money(p.amount)} on {long_date(p.date)}"
                             for p in summary.payments[:3])
        lines.append(f"- Latest payments received: {received}")
    if summary.arrears > 0:
        lines.append("If you're finding it hard to pay, I can help: just say \"I can't pay\".")
    return "\n".join(lines)


def bands(lookup: BandLookup) -> str:
    if lookup.properties:
        lines = [f"Council tax bands at {lookup.postcode}:"]
        lines += [f"- {p.label.split(', Anytown')[0]}: band {p.band}" for p in lookup.properties]
    else:
        lines = [f"I can't find any properties at {lookup.postcode} in Anytown."]
    lines.append(f"This year's ({lookup.financial_year}) charge for each band:")
    lines.append(", ".join(f"{band} {format_money(amount)}"
                           for band, amount in lookup.charges.items()))
    lines.append("Bands are set by the Valuation Office Agency, not the council, from what a "
                 "home would have sold for on 1 April 1991. An extension or other improvement "
                 "can only change the band when the home is next sold.")
    lines.append("If you think a band is wrong, you can challenge it with the Valuation Office "
                 f"Agency: {VOA_URL}. Keep paying your current bill while "
                 "they look at it; if the band goes down you'll get back anything you overpaid.")
    return "\n".join(lines)


def ways_to_pay(summary: AccountSummary | None) -> str:
    lines = ["You can pay council tax:",
             "- by Direct Debit, the easiest way (say \"set up a Direct Debit\")",
             f"- online with a debit or credit card at {PAY_URL}",
             "- by phone on our 24-hour automated line, 01632 960 100",
             "- in cash at any PayPoint or Post Office, using the barcode on your bill"]
    if summary is None:
        lines.append("You'll need your council tax account number as the reference: it's 9 "
                     "digits starting with 5, at the top of your bill.")
    else:
        lines.append(f"Your reference is your account number, {summary.payment_reference}. "
                     f"You can pay now at {summary.payment_url}")
    return "\n".join(lines)


def schedule_lines(plan: InstalmentPlan | DirectDebit) -> str:
    upcoming = [i for i in plan.schedule if i.status == "upcoming"]
    return "\n".join(f"- {long_date(i.due_date)}: {format_money(i.amount)}" for i in upcoming)


def instalments_switched(plan: InstalmentPlan) -> str:
    return (f"Done. You now pay in {plan.instalments} instalments, from "
            f"{long_date(plan.effective_from)}. Your remaining instalments this year:\n"
            + schedule_lines(plan))


def payment_day_changed(dd: DirectDebit) -> str:
    text = f"Done. Your Direct Debit will be taken on the {ordinal(dd.payment_day)} of the month"
    if dd.first_collection:
        text += (f", starting with {format_money(dd.first_collection.amount)} on "
                 f"{long_date(dd.first_collection.due_date)}")
    return text + ". Any payment already due before then is still collected as planned."


def no_direct_debit(day: int) -> str:
    return ("You don't pay by Direct Debit at the moment. For your security I don't take bank "
            f"details in this chat: you can set one up online in about 5 minutes at "
            f"{DIRECT_DEBIT_URL} and choose the {ordinal(day)} as your payment date.")


def application(app: Application, what: str) -> str:
    evidence = "\n".join(f"- {item}" for item in app.evidence_required)
    return (f"Thank you, your {what} application is in. Your reference is {app.reference}. "
            f"We've asked for it to apply from {long_date(app.applies_from)}.\n"
            f"Please send us:\n{evidence}\nby replying to the email we send, or at "
            "www.anytown.gov.uk/evidence. We'll decide within "
            f"{app.decision_within_days} days and send you a new bill if it's approved.")


def moved(notice: MoveNotification) -> str:
    action = {"move_in": "moving in", "move_out": "moving out",
              "move_within": "moving home"}.get(notice.kind, "moving")
    return (f"Thank you for telling us you're {action} on {long_date(notice.move_date)}. Your "
            f"reference is {notice.reference}. {notice.charged_by_the_day} We'll send a "
            "bill for the right dates within 14 days.")


def cannot_pay(summary: AccountSummary | None) -> str:
    lines = ["I'm sorry you're in this situation. Lots of people find council tax hard to pay "
             "at times, and the sooner we talk, the more we can do to help."]
    if summary is not None:
        lines.append(f"Where your account is now: {summary.recovery_stage_description}")
        if summary.arrears > Decimal(0):
            lines.append(f"The overdue amount is {format_money(summary.arrears)}.")
    else:
        lines.append("If you've missed a payment we send a reminder, then a final notice, then "
                     "a summons to the magistrates' court, which can lead to a liability order. "
                     "Getting in touch at any stage can stop it going further.")
    lines.append("- If you're on a low income or get benefits, you may get Council Tax "
                 f"Reduction: {REDUCTION_URL}")
    lines.append("- Our hardship fund can help with a short-term crisis.")
    lines.append("- Free, confidential debt advice: StepChange (0800 138 1111) or Citizens "
                 "Advice.")
    lines.append("I'm passing you to our council tax team now so they can agree a payment plan "
                 "that works for you.")
    return "\n".join(lines)


# --- questions and refusals along the way ---------------------------------------------------

DATE_HELP = "You can say things like \"next Friday\", \"the 3rd\" or \"3/12\"."
NOT_A_POSTCODE = "Sorry, that doesn't look like a postcode. It should look like AN1 1AA."
CANNOT_LOOK_UP_POSTCODE = "Sorry, I can't look up that postcode. It should look like AN1 1AA."
CHECK_AGAIN = ("For your security, I need to check your details again before showing anything "
               "about your account.")
CHECK_TIMED_OUT = ("For your security your check has timed out. Please ask again and I'll "
                   "confirm your details first.")
VERIFIED = "Thank you, you're verified."
NOT_AN_ACCOUNT_NUMBER = ("Sorry, that doesn't look like a council tax account number. It's 9 "
                         "digits starting with 5, and it's at the top of your bill.")
SURNAME_ONLY = ("Sorry, please type just the surname (family name) of the person named on the "
                "bill.")
INSTALMENTS_KEPT = "OK, I've left your instalments as they are."
# Why the back office made no change, by its code.
INSTALMENTS_UNCHANGED = {
    "no_change": "You already pay in 12 monthly instalments.",
    "nothing_to_pay": "There's nothing to pay on your account this year, so there are no "
    "instalments to change.",
}
PAYMENT_DAY_UNCHANGED = "Your Direct Debit is already taken on that day."
NOT_SINGLE_ADULT = ("Single person discount is for homes where only one adult (18 or over) "
                    "lives. Some people aren't counted, such as full-time students, "
                    "apprentices and live-in carers, so if that applies to someone at your "
                    "home, a member of staff can check for you.")
ALREADY_SINGLE_PERSON = "Your account already has the single person discount."
NOT_ALL_STUDENTS = ("The student exemption is only for homes where everyone is a full-time "
                    "student. If you're the only adult there who isn't a student, you may get "
                    "the 25% single person discount instead: just ask me about it.")
ALREADY_EXEMPT = "Your home already has a student exemption, so there's nothing to pay."
PAYMENT_DAYS_ONLY = ("Sorry, Direct Debit payments can only be taken on the 1st, 8th, 15th or "
                     "23rd of the month.")
HOW_MANY_ADULTS = ("Sorry, I need a number: how many people aged 18 or over live there, "
                   "including you? For example \"just me\" or \"2\".")
COURSE_END_UNCLEAR = ("Sorry, I didn't understand that date. It's the date the course ends, "
                      "like \"30/6/2028\".")
COURSE_ENDS_TOO_SOON = ("The course needs to end after the date the exemption starts. When "
                        "does the course end?")
INSTITUTION = "Please type the name of the university or college."
WHICH_MOVE = ("Sorry, are you moving into Anytown, out of Anytown, or to another address "
              "within Anytown?")
FORWARDING_ADDRESS = ("Please give your full forwarding address, including the house number "
                      "and postcode, so we can send your final bill.")
ANYTOWN_ADDRESS = ("Please give the house or flat number and the postcode of the Anytown "
                   "address, like \"12 Church Lane, AN2 3CC\".")
FULL_NAME = ("Please give the full name (first name and surname) of the person who will be "
             "responsible for the bill.")


def not_a_postcode(question: str = "") -> str:
    return " ".join(filter(None, (NOT_A_POSTCODE, question)))


def date_unclear() -> str:
    return f"Sorry, I didn't understand that date. {DATE_HELP}"


def date_too_long_ago(question: str) -> str:
    return ("That's more than a year ago. Changes backdated that far need an officer to review "
            "the evidence, so please give a date within the last year, or ask to talk to a "
            "person. " + question)


def date_too_far_ahead(question: str) -> str:
    return ("That's more than 3 months ahead, which is too early to tell us. Please give a date "
            "within the next 3 months. " + question)


def details_do_not_match(tries_left: int) -> str:
    return ("Sorry, those details don't match an account we hold. Please check them against "
            f"your bill and try again ({tries_left} {'try' if tries_left == 1 else 'tries'} "
            "left).")


def address_not_found(postcode: str, known_postcode: bool) -> str:
    where = f"at {postcode}" if known_postcode else f"in Anytown with the postcode {postcode}"
    return (f"Sorry, I couldn't find that address {where}. Please give the house or flat number "
            "and the postcode.")
# A change whose answer did not come in time: it may have been made, and asking again is safe.
CHANGE_UNCONFIRMED = ("The council tax system is slow to answer, so I can't confirm your change "
                      "yet. It may already have been made: if you ask again later it won't be "
                      "made twice, and your next bill or letter will show it. A member of staff "
                      "can check it for you now.")
