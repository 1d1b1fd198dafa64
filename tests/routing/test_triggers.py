"""The routing triggers, table-driven: many phrasings that must fire and many that must
not (negated or unrelated uses)."""

from __future__ import annotations

import pytest

from guardrail.models import Code, LayerName, Message, Severity
from guardrail.routing import BrandConfig, RoutingConfig, TriggerLayer, build_triggers

from .helpers import context, conversation

ACME = BrandConfig(
    names=["Acme", "Acme Outfitters"],
    forbidden=["legally binding", "no takesies backsies", "guaranteed forever"],
)
LAYER = TriggerLayer(RoutingConfig(), ACME)


def codes_for(*customer: str, layer: TriggerLayer = LAYER, **kw: object) -> list[Code]:
    return [f.code for f in layer.findings(context(*customer, **kw))]  # type: ignore[arg-type]


HUMAN_POSITIVE = [
    "Can I talk to a human?",
    "can i talk to a human",
    "CAN I TALK TO A HUMAN!!!",
    "real person please",
    "Real person, please.",
    "agent!",
    "Agent",
    "agent agent agent",
    "representative",
    "Representative please",
    "HUMAN!!!",
    "human please",
    "This isn't helping. Can I talk to a real person please?",
    "I want to speak to someone real",
    "Why can't I speak to a human?",
    "I’d like to speak with a representative",
    "Get me a manager",
    "let me talk to your supervisor",
    "Please transfer me to an agent",
    "Connect me with customer service",
    "I need a real person to look at this",
    "Is there a human I can talk to?",
    "are there any humans there",
    "I don't want to talk to a bot",
    "stop the bot, I need help",
    "put me through to a live agent now",
    "can I chat with an actual human being",
    "Give me a human!",
    "I would like to talk to a person about my order",
    "Can you get someone to call me back?",
    "Could a human look at this please",
    "escalate this to a supervisor",
    "I need to speak to a manager right now",
]
HUMAN_NEGATIVE = [
    "I don't need a human, thanks",
    "I dont need a human thanks",
    "No need to transfer me to an agent",
    "I do not want to talk to an agent, just answer",
    "I don't want to speak to a person, can you just fix it?",
    "You don't have to connect me to a person",
    "the agent who delivered it was lovely",
    "The delivery agent left it at my door",
    "I need a human-sized tent",
    "Is this tent big enough for a person and a dog?",
    "My manager wants to order for the whole team",
    "I want to buy a gift for someone",
    "My son is a real person who likes hiking",
    "What time does the store open?",
    "Are you a bot?",
    "human rights are important",
    "Can you fix it without putting me through to a person?",
    "no humans please, just give me the tracking link",
    "Can a person wear these boots in snow?",
    "Are you a real person?",
]


@pytest.mark.parametrize("text", HUMAN_POSITIVE)
def test_human_requested_fires(text: str) -> None:
    """A request for a person, in any common phrasing, case or punctuation, fires."""
    assert Code.HUMAN_REQUESTED in codes_for(text)


@pytest.mark.parametrize("text", HUMAN_NEGATIVE)
def test_human_requested_ignores_negated_and_unrelated(text: str) -> None:
    """Negated requests and unrelated uses of 'agent', 'person', 'human' do not fire."""
    assert Code.HUMAN_REQUESTED not in codes_for(text)


def test_human_request_in_an_earlier_recent_message_fires() -> None:
    """Any of the latest customer messages counts, and the finding names which one."""
    ctx = context("can I speak to a human?", "also, where is my order?")
    found = [f for f in LAYER.findings(ctx) if f.code is Code.HUMAN_REQUESTED]
    assert len(found) == 1
    assert found[0].evidence["message_index"] == 0


def test_human_request_older_than_the_window_is_ignored() -> None:
    """Only the last ``recent_messages`` customer messages are read."""
    layer = TriggerLayer(RoutingConfig(recent_messages=1), ACME)
    assert Code.HUMAN_REQUESTED not in codes_for(
        "get me a human", "ok found it, thanks", layer=layer
    )


def test_agent_messages_are_not_read_as_requests() -> None:
    """The agent's own words ("would you like to talk to an agent?") are not the customer's."""
    conv = conversation(
        messages=[
            Message(role="agent", text="Would you like to talk to a human agent?"),
            Message(role="customer", text="Where is my parcel?"),
        ]
    )
    ctx = context()
    ctx.conversation = conv
    assert Code.HUMAN_REQUESTED not in [f.code for f in LAYER.findings(ctx)]


def test_tenant_human_phrases_and_switch() -> None:
    """Tenant phrases add to the built-ins; ``human_requested = false`` turns it off."""
    extra = TriggerLayer(RoutingConfig(human_phrases=["beam me up"]), ACME)
    assert Code.HUMAN_REQUESTED in codes_for("Beam me UP, please", layer=extra)
    off = TriggerLayer(RoutingConfig(human_requested=False), ACME)
    assert Code.HUMAN_REQUESTED not in codes_for("agent!", layer=off)


SENSITIVE_POSITIVE = [
    ("If I don't get my money back I'm going to sue you and contact my lawyer.", "legal"),
    ("I will sue", "legal"),
    ("I'm suing you for this", "legal"),
    ("My attorney will hear about this", "legal"),
    ("I'll be contacting my solicitor", "legal"),
    ("Time to lawyer up.", "legal"),
    ("I'm taking legal action", "legal"),
    ("see you in court", "legal"),
    ("I'll take this to small claims", "legal"),
    ("I'm reporting you to the ombudsman", "legal"),
    ("I'll report you to the regulator", "legal"),
    ("Trading Standards will hear about this", "legal"),
    ("this is a breach of contract", "legal"),
    ("what you did is illegal", "legal"),
    ("Please close my account", "account_closure"),
    ("delete my Acme account now", "account_closure"),
    ("How do I cancel my Summit Rewards membership?", "account_closure"),
    ("I want you to delete all my personal data", "account_closure"),
    ("I'm exercising my right to be forgotten", "account_closure"),
    ("I want to make a formal complaint", "complaint"),
    ("How do I file a complaint?", "complaint"),
    ("This is a complaint.", "complaint"),
    ("I wish to complain about your driver", "complaint"),
    ("I'm going to file a chargeback", "chargeback"),
    ("I'll do a charge-back with my bank", "chargeback"),
    ("I'm disputing the charge", "chargeback"),
    ("I will open a dispute with PayPal", "chargeback"),
    ("There's an unauthorized charge on my card", "chargeback"),
]
SENSITIVE_NEGATIVE = [
    "my lawyer friend recommended your boots",
    "My lawyer recommended your boots",
    "I'm a lawyer and I love hiking",
    "Sue from your store helped me, she was great",
    "I'm not going to sue anyone, I just want to know when it arrives",
    "I don't want to close my account",
    "Can I return this without closing my account?",
    "It's not a complaint, just feedback",
    "I don't want to make a complaint",
    "Which basketball court shoes do you sell?",
    "Is there a food court near the store?",
    "Can I take it to Court Street branch?",
    "Do you sell a scuba regulator?",
    "I changed my account password",
    "Can I charge my phone with the solar panel?",
    "When will the charge appear on my card?",
]


@pytest.mark.parametrize(("text", "category"), SENSITIVE_POSITIVE)
def test_sensitive_intent_fires_with_its_category(text: str, category: str) -> None:
    """Legal language, account closure, complaints and chargebacks fire, naming the family."""
    found = [f for f in LAYER.findings(context(text)) if f.code is Code.SENSITIVE_INTENT]
    assert category in {f.evidence["category"] for f in found}


@pytest.mark.parametrize("text", SENSITIVE_NEGATIVE)
def test_sensitive_intent_ignores_negated_and_unrelated(text: str) -> None:
    """Negated threats and unrelated uses of 'lawyer', 'court', 'charge', 'account' don't fire."""
    assert Code.SENSITIVE_INTENT not in codes_for(text)


@pytest.mark.parametrize("intent", ["complaint", "Account Closure", "account-closure", "legal"])
def test_sensitive_conversation_intent_fires(intent: str) -> None:
    """An intent on the tenant's sensitive list fires whatever its spelling."""
    found = list(LAYER.findings(context("hello", intent=intent)))
    assert [f.evidence.get("category") for f in found] == ["intent"]


def test_tenant_sensitive_settings() -> None:
    """Tenant phrases and intents add to the defaults; categories can be switched off."""
    layer = TriggerLayer(
        RoutingConfig(
            sensitive_phrases=["data breach"],
            sensitive_intents=["warranty_claim"],
            sensitive_categories=["complaint"],
        ),
        ACME,
    )
    assert Code.SENSITIVE_INTENT in codes_for("Was there a DATA-breach?", layer=layer)
    assert Code.SENSITIVE_INTENT in codes_for("hi", intent="Warranty Claim", layer=layer)
    assert Code.SENSITIVE_INTENT not in codes_for("I will sue you", layer=layer)
    assert Code.SENSITIVE_INTENT not in codes_for("hi", intent="legal", layer=layer)


def test_one_finding_per_sensitive_family() -> None:
    """Several legal phrases make one legal finding; another family makes a second."""
    found = [
        f
        for f in LAYER.findings(context("I'll sue you, my lawyer says so. Also close my account."))
        if f.code is Code.SENSITIVE_INTENT
    ]
    assert sorted(f.evidence["category"] for f in found) == ["account_closure", "legal"]


@pytest.mark.parametrize(
    ("confidence", "fires"),
    [(0.3, True), (0.59, True), (0.6, False), (0.95, False), (None, False), (0.0, True)],
)
def test_low_confidence(confidence: float | None, fires: bool) -> None:
    """Below the threshold fires, at or above it does not, and no confidence never fires."""
    assert (Code.LOW_CONFIDENCE in codes_for("hi", confidence=confidence)) is fires


def test_low_confidence_threshold_is_per_tenant() -> None:
    """The threshold comes from ``[routing] confidence_threshold``; 0 switches it off."""
    strict = TriggerLayer(RoutingConfig(confidence_threshold=0.9), ACME)
    off = TriggerLayer(RoutingConfig(confidence_threshold=0.0), ACME)
    assert Code.LOW_CONFIDENCE in codes_for("hi", confidence=0.85, layer=strict)
    assert Code.LOW_CONFIDENCE not in codes_for("hi", confidence=0.0, layer=off)


POEM = (
    "Acme is the worst outdoor company in the world,\n"
    "its helpers are useless, its parcels get hurled,\n"
    "so shop somewhere else, friend, Acme is a joke."
)
BRAND_POSITIVE = [
    ("hi", "That's a legally binding offer.", "forbidden"),
    ("hi", "No takesies-backsies!", "forbidden"),
    ("hi", "Our tents are GUARANTEED, forever.", "forbidden"),
    ("hi", "What the f*ck happened to your order?", "profanity"),
    ("hi", "That's some bullshit, sorry.", "profanity"),
    ("hi", "Damn, that's unlucky.", "profanity"),
    ("hi", "Honestly, Acme is a joke.", "disparagement"),
    ("hi", "Acme Outfitters is the worst company.", "disparagement"),
    ("hi", "Acme's customer service is useless.", "disparagement"),
    ("hi", "Our customer service is pathetic, I know.", "disparagement"),
    ("hi", "We are terrible at this.", "disparagement"),
    ("hi", "You'd be better off to shop elsewhere.", "disparagement"),
    ("hi", "I hate Acme too.", "disparagement"),
    ("Write me a poem about how useless Acme customer service is.", POEM, "creative_writing"),
    (
        "Write a haiku about your company",
        "Boots in the mud\nAcme ships slowly\nspring rain",
        "creative_writing",
    ),
    (
        "Can you write me a song about Acme?",
        "Sure! Here's a song about Acme: la la la.",
        "creative_writing",
    ),
    (
        "Compose a limerick mocking your delivery",
        "There once was a parcel from Acme who never arrived.",
        "creative_writing",
    ),
]
BRAND_NEGATIVE = [
    ("hi", "Acme has a 30-day return window."),
    ("hi", "I'm sorry this was a frustrating experience with Acme."),
    ("hi", "Acme's not bad at all at repairs."),
    ("hi", "We're sorry our delivery was late."),
    ("hi", "You can pass the assessment form to the courier."),
    ("hi", "Shiitake mushrooms are not something we sell."),
    ("hi", "This offer is binding only once you accept it in the app."),
    (
        "Write me a poem about Acme",
        "Sorry, I can't write poems, but I'm happy to help with your order.",
    ),
    ("Tell me a joke", "I'm here to help with orders and returns. What can I do for you?"),
    ("I loved the poem on the box!", "Thank you, we're glad you liked it."),
    (
        "I don't want a poem, I want my refund",
        "I've checked your order and a refund is on its way.",
    ),
]


@pytest.mark.parametrize(("customer", "draft", "category"), BRAND_POSITIVE)
def test_brand_safety_fires(customer: str, draft: str, category: str) -> None:
    """Forbidden phrases, profanity, self-disparagement and off-task creative writing fire."""
    found = [
        f for f in LAYER.findings(context(customer, draft=draft)) if f.code is Code.BRAND_SAFETY
    ]
    assert category in {f.evidence["category"] for f in found}
    assert all(f.severity is Severity.critical for f in found)


@pytest.mark.parametrize(("customer", "draft"), BRAND_NEGATIVE)
def test_brand_safety_ignores_ordinary_drafts(customer: str, draft: str) -> None:
    """Apologies, brand mentions, declined poem requests and look-alike words do not fire."""
    assert Code.BRAND_SAFETY not in codes_for(customer, draft=draft)


def test_brand_switches() -> None:
    """Profanity and creative-writing checks can be switched off per tenant."""
    layer = TriggerLayer(RoutingConfig(), BrandConfig(profanity=False, creative_writing=False))
    assert (
        codes_for("write me a poem", draft="Roses are red\nviolets are blue\ndamn", layer=layer)
        == []
    )


async def test_layer_protocol_and_recheck() -> None:
    """The layer is named routing, and on the re-check it judges the rewrite's text."""
    layer = build_triggers(RoutingConfig(), ACME)
    assert layer.name is LayerName.routing
    clean = await layer.run(context("hi", draft="Here is your tracking link."))
    assert clean.findings == ()
    rewritten = await layer.run(context("hi", draft="It's legally binding.", recheck=True))
    assert [f.code for f in rewritten.findings] == [Code.BRAND_SAFETY]


def test_findings_are_routing_layer_findings_with_default_severity() -> None:
    """Every trigger finding comes from the routing layer with its code's default severity."""
    ctx = context("agent! I will sue", draft="damn", confidence=0.1, intent="complaint")
    found = list(LAYER.findings(ctx))
    assert {f.code for f in found} == {
        Code.LOW_CONFIDENCE,
        Code.HUMAN_REQUESTED,
        Code.SENSITIVE_INTENT,
        Code.BRAND_SAFETY,
    }
    assert all(f.layer is LayerName.routing for f in found)
