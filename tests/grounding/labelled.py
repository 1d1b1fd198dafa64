"""The labelled suite: drafts for the example tenant (acme), each with the grounding
codes it must produce. ``frozenset()`` means a correct draft (no finding at all).

Built from phrasing templates crossed with right and wrong values, plus hand-written
cases for boolean facts, version changes, citations and context. Dates: the 30-day
return window is in force from 2026-10-01 (60 days before); free shipping starts at
$50 from 2026-06-01 ($75 before).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)  # returns v3, shipping v2
SEPT = datetime(2026, 9, 15, 9, tzinfo=UTC)  # returns v2, shipping v2
MARCH = datetime(2026, 3, 1, 9, tzinfo=UTC)  # returns v2, shipping v1

ORDER = {
    "order": {
        "id": "A-1001",
        "total_cents": 12900,
        "status": "delivered",
        "delivered_at": "2026-11-02",
        "item": "Ridgeline hiking boots",
    }
}

PC = "POLICY_CONTRADICTION"
US = "UNSUPPORTED_CLAIM"
MC = "MISSING_CITATION"
SS = "STALE_SOURCE"
UK = "UNKNOWN_SOURCE"


@dataclass(frozen=True)
class Case:
    text: str
    cite: tuple[tuple[str, str], ...]
    expect: frozenset[str]
    as_of: datetime = NOW
    context: dict[str, Any] = field(default_factory=dict)
    calls: tuple[dict[str, Any], ...] = ()

    @property
    def correct(self) -> bool:
        return not self.expect

    @property
    def contradiction(self) -> bool:
        return PC in self.expect


def _c(text: str, *cite: tuple[str, str], expect: tuple[str, ...] = (), **kw: Any) -> Case:
    return Case(text, tuple(cite), frozenset(expect), **kw)


RET3, RET2 = ("returns-policy", "3"), ("returns-policy", "2")
REF = ("refunds-policy", "1")
SHIP2, SHIP1 = ("shipping-policy", "2"), ("shipping-policy", "1")
EXCH = ("exchanges-policy", "1")
WAR = ("warranty-policy", "1")
PRICE = ("price-match-policy", "1")
CREDIT = ("store-credit-policy", "1")
SUB = ("subscriptions-policy", "1")
LOYAL = ("loyalty-program", "1")
ORD = ("orders-policy", "1")

#: (source, right values, wrong values, templates with a {v} slot)
TEMPLATED: list[tuple[tuple[str, str], list[str], list[str], list[str]]] = [
    (
        RET3,
        ["30 days", "thirty days", "30 calendar days"],
        ["60 days", "sixty days", "90 days", "two months", "6 weeks", "a year", "one week"],
        [
            "You can return unworn items within {v} of delivery.",
            "Our return window is {v} from the delivery date.",
            "Returns are accepted for {v} after delivery, as long as the items are unworn.",
            "You have {v} from delivery to send it back.",
            "Good news: unworn items can be returned up to {v} after delivery.",
        ],
    ),
    (
        REF,
        ["5 business days", "five business days", "5 working days"],
        ["10 business days", "2 business days", "30 days", "two weeks", "3-4 weeks"],
        [
            "Once we receive your return, the refund arrives within {v}.",
            "Refunds reach your original payment method within {v}.",
            "You should see the money back on your card within {v}.",
        ],
    ),
    (
        SHIP2,
        ["$50", "50 dollars", "fifty dollars", "USD 50"],
        ["$75", "$35", "$100", "25 dollars"],
        [
            "Free shipping starts at {v}.",
            "You get free delivery on orders over {v}.",
            "Spend {v} or more and free shipping applies.",
        ],
    ),
    (
        SHIP2,
        ["5 business days", "five business days"],
        ["2 business days", "10 business days", "two weeks"],
        [
            "Standard shipping takes up to {v}.",
            "With standard delivery your order should arrive within {v}.",
        ],
    ),
    (
        EXCH,
        ["45 days", "forty-five days"],
        ["30 days", "60 days", "two weeks"],
        [
            "You can exchange unworn items for another size within {v} of delivery.",
            "Exchanges are possible for {v} after delivery.",
            "We'll swap them for another colour if you ask within {v}.",
        ],
    ),
    (
        WAR,
        ["12 months", "a year", "one year", "twelve months"],
        ["6 months", "two years", "90 days", "30 days"],
        [
            "Our warranty covers manufacturing defects for {v} from delivery.",
            "The warranty lasts {v}.",
            "Your jacket is under guarantee for {v} against manufacturing defects.",
        ],
    ),
    (
        PRICE,
        ["14 days", "two weeks", "fourteen days"],
        ["30 days", "7 days", "a month"],
        [
            "If the price drops within {v} of purchase, we refund the difference as store credit.",
            "Our price adjustment window is {v}.",
        ],
    ),
    (
        RET3,
        ["15%", "15 percent", "fifteen percent"],
        ["10%", "20 percent", "25%"],
        [
            "Opened electronics carry a {v} restocking fee.",
            "A restocking fee of {v} applies to opened electronics.",
        ],
    ),
    (
        CREDIT,
        ["$200", "$50", "$25.00"],
        ["$500", "$250", "300 dollars"],
        [
            "I can offer goodwill store credit of up to {v}.",
            "I've added {v} of store credit to your account as a goodwill gesture.",
        ],
    ),
    (
        SUB,
        ["3 months", "three months", "two months"],
        ["6 months", "a year", "4 months"],
        [
            "You can pause your Trail Box for up to {v} at a time.",
            "The subscription can be paused for {v}.",
        ],
    ),
    (
        LOYAL,
        ["2 points", "two points"],
        ["5 points", "10 points", "one point"],
        [
            "Summit Rewards members earn {v} per dollar spent.",
            "With our loyalty program you get {v} for every dollar.",
        ],
    ),
]


def _templated() -> list[Case]:
    cases: list[Case] = []
    for source, right, wrong, templates in TEMPLATED:
        for i, tpl in enumerate(templates):
            text = tpl.format(v=right[i % len(right)])
            cases.append(_c(text[0].upper() + text[1:], source))
            for j in (i, i + len(templates)):
                if j < len(wrong):
                    text = tpl.format(v=wrong[j])
                    cases.append(_c(text[0].upper() + text[1:], source, expect=(PC,)))
    return cases


HAND: list[Case] = [
    # -- correct, several claims, several sources ----------------------------------
    _c(
        "Unworn items can be returned within 30 days of delivery, and your refund arrives "
        "within 5 business days after we receive them.",
        RET3,
        REF,
    ),
    _c(
        "Unworn items in their original packaging can be returned within 30 days, and return "
        "shipping within the US is free.",
        RET3,
    ),
    _c("Yes, you can still send back the boots: the window is 30 days from delivery.", RET3),
    _c(
        "Orders of $50 or more ship free, and standard delivery takes up to 5 business days.", SHIP2
    ),
    _c("Express delivery takes 2 business days and costs $15.", SHIP2),
    _c(
        "Standard delivery usually takes 5 business days; express is 2 business days for $15.",
        SHIP2,
    ),
    _c("You earn two points per dollar, and every 500 points is worth $10 off.", LOYAL),
    _c("You can request a refund within 30 days of delivery.", RET3),
    _c("If the price drops within 14 days of purchase, we refund the difference.", PRICE),
    _c(
        "Returns are free within the US and you have 30 days. Exchanges are open for 45 days.",
        RET3,
        EXCH,
    ),
    _c("You have 30 days to return and 45 days to exchange.", RET3, EXCH),
    _c(
        "You can return within 30 days or exchange within 45 days, whichever suits you.", RET3, EXCH
    ),
    _c("Thanks for reaching out! I'd be happy to help with your return.", RET3),
    _c("Thanks so much for your patience, have a great day!"),
    _c("Your order A-1001 is on its way; call us at 1-800-555-0199 with questions."),
    _c(
        "Our team is here 24 hours a day, 7 days a week.",
    ),
    _c("I'll pass this to our shipping team at 221 Main St, Springfield 90210."),
    _c("The Summit 4 tents are back in stock."),
    _c("It isn't 60 days any more: the return window is now 30 days.", RET3),
    _c("The return window used to be 60 days, but it is 30 days from October 1, 2026.", RET3),
    # -- booleans, correct -------------------------------------------------------------
    _c("We don't offer bereavement refunds, but I can help you with a return.", REF),
    _c(
        "I'm sorry for your loss. Acme doesn't have a bereavement or compassionate refund policy.",
        REF,
    ),
    _c("We can't issue a refund after the return window, I'm sorry.", REF),
    _c("Unfortunately international returns aren't free; you cover the return shipping.", RET3),
    _c("We don't offer free international returns, but returns within the US are free.", RET3),
    _c("You can cancel your order any time until it ships.", ORD),
    _c("Your order has shipped, so it can no longer be cancelled, but you can return it.", ORD),
    _c("Orders can be cancelled until they ship.", ORD),
    _c("Would you like me to look into a bereavement exception for you?", REF),
    _c("I'm so sorry to hear about the death in the family.", REF),
    # -- booleans, wrong ---------------------------------------------------------------
    _c(
        "Under our bereavement policy you can request a partial refund within 90 days of purchase.",
        REF,
        expect=(PC,),
    ),
    _c("We offer bereavement refunds for a death in the family.", REF, expect=(PC,)),
    _c("You're eligible for a compassionate refund given the circumstances.", REF, expect=(PC,)),
    _c("Because of the death in the family, we can refund the full amount.", REF, expect=(PC,)),
    _c("Bereavement discounts are available on request.", expect=(PC,)),
    _c("We can refund you after the return window as a one-time exception.", REF, expect=(PC,)),
    _c(
        "I can retroactively refund the order even though the window has passed.", REF, expect=(PC,)
    ),
    _c("International returns are free of charge.", RET3, expect=(PC,)),
    _c("We cover the shipping on international returns.", RET3, expect=(PC,)),
    _c("Orders cannot be cancelled.", ORD, expect=(PC,)),
    _c("We don't allow cancellation of orders.", ORD, expect=(PC,)),
    # -- versions ----------------------------------------------------------------------
    _c("Yes! You have 60 days from delivery to return unworn items.", RET2, expect=(PC, SS)),
    _c("You can return unworn items within 60 days of delivery.", RET3, expect=(PC,)),
    _c("You can return unworn items within 60 days of delivery.", RET2, as_of=SEPT),
    _c("Our return window is sixty days.", RET2, as_of=SEPT),
    _c("You can return unworn items within 30 days of delivery.", RET2, as_of=SEPT, expect=(PC,)),
    _c("Free shipping kicks in at $75.", SHIP1, as_of=MARCH),
    _c("Free delivery starts at seventy-five dollars.", SHIP1, as_of=MARCH),
    _c("Free shipping starts at $50.", SHIP1, as_of=MARCH, expect=(PC,)),
    _c("Free shipping starts at $50.", SHIP1, expect=(SS, US)),
    _c("Standard delivery takes up to 5 business days.", SHIP1, expect=(SS, US)),
    _c(
        "Unworn items can be returned within 30 days of delivery.",
        ("returns-policy", "9"),
        expect=(UK, US),
    ),
    _c(
        "Unworn items can be returned within 30 days.",
        RET3,
        ("secret-vip-policy", "1"),
        expect=(UK,),
    ),
    # -- unsupported / missing citation ----------------------------------------------
    _c("Express delivery costs $25.", SHIP2, expect=(US,)),
    # issue 10: "a month" beside a cited 30-day fact is compatible (docs/grounding.md)
    _c("We accept returns within a month.", RET3),
    _c("Your refund arrives within 5 days.", REF, expect=(US,)),
    _c("Unworn items can be returned within 30 days of delivery.", SHIP2, expect=(US,)),
    _c("Unworn items can be returned within 30 days of delivery.", expect=(MC,)),
    _c("Standard delivery takes 2 business days.", expect=(PC, MC)),
    _c("That tent is $1, deal!", expect=(MC,)),
    _c("About 20% of customers choose express delivery.", SHIP2, expect=(US,)),
    _c("Your order will arrive next Monday.", expect=(MC,)),
    # -- context and tool calls back claims --------------------------------------------
    _c("Your order A-1001 was delivered on November 2.", context=ORDER),
    _c("Your order total was $129.00.", context=ORDER),
    _c("Your boots were delivered 18 days ago.", context=ORDER),
    _c("You have 12 days left to return them.", context=ORDER),
    _c(
        "Your boots were delivered on November 2, so you can return them until December 2.",
        RET3,
        context=ORDER,
    ),
    _c("Your boots were delivered on 2026-11-02.", context=ORDER),
    _c("Your boots were delivered on November 5.", context=ORDER, expect=(MC,)),
    _c(
        "I've refunded $129.00 to your card.",
        calls=(
            {"name": "refund_order", "arguments": {"order_id": "A-1001", "amount_cents": 12900}},
        ),
    ),
    _c("I've refunded $500.00 to your card.", context=ORDER, expect=(MC,)),
    _c("I've refunded $129.00; it will arrive within 5 business days.", REF, context=ORDER),
]

SHIPPED = {
    "order": {"id": "A-2002", "total_cents": 4500, "status": "shipped", "shipped_at": "2026-11-19"}
}

MORE: list[Case] = [
    # -- correct, chattier phrasings ------------------------------------------------
    _c(
        "Just so you know, returns are accepted within 30 days of delivery and refunds take "
        "about 5 business days.",
        RET3,
        REF,
    ),
    _c(
        "Hi Sam! Unworn boots can go back within 30 days of delivery, just use the prepaid label.",
        RET3,
    ),
    _c(
        "The prepaid label is in your order confirmation, and you have 30 days from delivery.", RET3
    ),
    _c("Happy to help! Standard shipping is free on orders of $50 or more.", SHIP2),
    _c("Express delivery is $15 and takes 2 business days.", SHIP2),
    _c("Warranty claims are repaired or replaced within the 12-month warranty period.", WAR),
    _c("Store credit never expires and can be combined with other offers.", CREDIT),
    _c("Earn 2 points per dollar with Summit Rewards; 500 points gets you $10 off.", LOYAL),
    _c(
        "Your Trail Box can be paused for up to three months, or cancelled before the next "
        "billing date.",
        SUB,
    ),
    _c(
        "The restocking fee is 15% for opened electronics; everything else is free to return.", RET3
    ),
    _c("We'll refund the $129.00 within 5 business days.", REF, context=ORDER),
    _c("Price drops within two weeks of purchase are refunded as store credit.", PRICE),
    _c("You can swap sizes within 45 days.", EXCH),
    _c("Our warranty runs for twelve months from delivery.", WAR),
    _c("You have until December 2 to return the boots.", RET3, context=ORDER),
    _c(
        "Your order shipped on November 19 and should arrive within 5 business days.",
        SHIP2,
        context=SHIPPED,
    ),
    _c("I see your order from 11/02/2026 was delivered.", context=ORDER),
    _c(
        "We're open Monday to Friday, 9am to 5pm.",
    ),
    _c(
        "Please allow 3-5 minutes for the confirmation email.",
    ),
    _c("Return window: 30 days from delivery.", RET3),
    # -- wrong -----------------------------------------------------------------------
    _c("Just so you know, returns are accepted within 60 days of delivery.", RET3, expect=(PC,)),
    _c("Heads up: you've got two months to send it back.", RET3, expect=(PC,)),
    _c("Standard shipping is free and arrives in 7 business days.", SHIP2, expect=(PC,)),
    _c("Spend over $75 to unlock free shipping.", SHIP2, expect=(PC,)),
    _c("Refunds usually take 7-10 business days to appear.", REF, expect=(PC,)),
    _c("Opened electronics have a 20% restocking fee.", RET3, expect=(PC,)),
    _c("The warranty covers defects for 2 years.", WAR, expect=(PC,)),
    _c("Exchanges can be made within 60 days.", EXCH, expect=(PC,)),
    _c("I can give you $300 in store credit.", CREDIT, expect=(PC,)),
    _c("You can pause the Trail Box for up to 6 months.", SUB, expect=(PC,)),
    _c("Members earn 3 points per dollar.", LOYAL, expect=(PC,)),
    _c("We'll match any price drop within 30 days.", PRICE, expect=(PC,)),
    _c(
        "You can return the boots within 60 days; refunds take 5 business days.",
        RET3,
        REF,
        expect=(PC,),
    ),
    _c("You have 30 days to return and 60 days to exchange.", RET3, EXCH, expect=(PC,)),
    _c("Return window: 60 days.", RET3, expect=(PC,)),
    _c("Sorry, but free shipping only starts at $100.", SHIP2, expect=(PC,)),
    _c(
        "Because of your father's passing, I've applied our bereavement discount.",
        REF,
        expect=(PC,),
    ),
    _c("We can make an exception and refund you retroactively.", REF, expect=(PC,)),
    _c("Good news, compassionate refunds are part of our policy.", REF, expect=(PC,)),
    _c("Free shipping starts at $100 and express costs $25.", SHIP2, expect=(PC, US)),
]

CASES: list[Case] = _templated() + HAND + MORE
