"""The ConText modifier kinds that keep everyday and second-hand wording from raising an alarm.

Each kind has a sentence it drops, a sentence it must leave alone, and a
current emergency of the person's own with the same words, which still fires.
The cases are tables (one row a sentence, its id naming the kind it guards) so
a new wording is one line, not one more function of the same shape.
"""

from __future__ import annotations

import pytest


def level(detector, text: str) -> str:
    return detector.assess(text).level


def dropped_by(detector, text: str) -> set:
    return {d.reason.split(":")[0] for d in detector.assess(text).dropped}


def cases(kind: str, label: str, expected, *texts: str) -> list:
    """Rows of one table, each with an id naming the kind and what the row shows."""
    if len(texts) == 1:
        return [pytest.param(texts[0], expected, id=f"{kind}-{label}")]
    return [pytest.param(text, expected, id=f"{kind}-{label}-{n}") for n, text in enumerate(texts, 1)]


# Sentences whose level must be exactly the one given.
EXACT_LEVEL = [
    # RESOLVED: over, said after it
    *cases(
        "RESOLVED",
        "reaches-across-but-now",
        "none",
        "I had a temperature on Saturday with a cold but now I'm recovered totally",
    ),
    *cases("RESOLVED", "not-a-recent-fever-on-its-own", "urgent", "I had a temperature on Saturday with a cold"),
    *cases(
        "RESOLVED",
        "not-a-symptom-still-there",
        "urgent",
        "I had a temperature on Saturday, recovered, but it's back again today",
    ),
    # OTHER_PERSON_OK: someone else's event, over or in care
    *cases(
        "OTHER_PERSON_OK",
        "someone-elses-crash-in-care",
        "none",
        "can't come on Monday, my brother had a motorbike crash and he's in hospital",
    ),
    *cases(
        "OTHER_PERSON_OK",
        "crash-without-care-fires",
        "emergency",
        "can't come on Monday, my brother had a motorbike crash this morning",
    ),
    *cases(
        "OTHER_PERSON_OK",
        "reported-fine-is-not-known-fine",
        "emergency",
        "my brother had a motorbike crash and says he's fine",
    ),
    *cases(
        "OTHER_PERSON_OK",
        "never-drops-a-neurological-sign",
        "emergency",
        "my brother can't feel his legs, he's in hospital",
    ),
    *cases("OTHER_PERSON_OK", "own-crash-fires", "emergency", "I had a motorbike crash an hour ago and my back hurts"),
    # FAMILY: the reason for a cancellation
    *cases(
        "FAMILY",
        "childs-fever-behind-a-cancellation",
        "none",
        "sorry, have to cancel Friday, my daughter has a temperature and I need to stay with her",
        "nursery rang, little one has a fever so I have to go and get her",
    ),
    *cases(
        "FAMILY",
        "own-fever-behind-a-cancellation-counts",
        "urgent",
        "sorry, have to cancel Friday, I have a temperature and my back is agony",
    ),
    *cases(
        "FAMILY", "childs-fever-with-back-pain-counts", "urgent", "my daughter has a temperature and her back hurts"
    ),
    # EARLIER: a stage of the pregnancy that is over
    *cases(
        "EARLIER",
        "bleeding-early-on-is-a-complication",
        "professional",
        "I'm 26 weeks pregnant, had a little bleeding early on, now all fine on the scans",
    ),
    *cases(
        "EARLIER",
        "current-bleeding-stays-an-emergency",
        "emergency",
        "I'm 26 weeks pregnant and bleeding now",
        "I'm 26 weeks pregnant, had a little bleeding early on and it started again today",
    ),
    # LONG_AGO: trauma months ago is history
    *cases(
        "LONG_AGO", "trauma-last-week-fires", "emergency", "I came off my motorbike last week, my shoulders are tight"
    ),
    # FIGURATIVE and BENIGN_CONTEXT
    *cases("FIGURATIVE", "named-joke-drops-a-leg-flag", "none", "my legs are like jelly after leg day"),
    *cases("FIGURATIVE", "own-weak-legs-fire", "emergency", "my legs went weak and I can't stand up"),
    *cases(
        "HYPOTHETICAL",
        "own-numbness-down-there-fires",
        "emergency",
        "I have numbness down there, would that mean hospital?",
    ),
    # LONGSTANDING: known and unchanged
    *cases(
        "LONGSTANDING", "new-change-in-a-known-condition-fires", "emergency", "my brother can't walk since this morning"
    ),
    # EVERYDAY_REASON: everyday reasons must be named
    *cases(
        "EVERYDAY_REASON",
        "breathless-without-a-reason-fires",
        "emergency",
        "I couldn't get my breath sitting on the sofa tonight",
    ),
    *cases("EVERYDAY_REASON", "hearing-aids-are-not-aids", "none", "can I keep my hearing aids in during the massage?"),
    *cases("EVERYDAY_REASON", "aids-the-condition-counts", "urgent", "I have AIDS and my back hurts"),
    # IN_CARE: a third person in trouble now
    *cases(
        "IN_CARE",
        "someone-else-in-trouble-right-now",
        "emergency",
        "my sister has chest pain right now, she's lying down",
        "my sister has chest pain right now, she's in bed",
    ),
    *cases(
        "IN_CARE",
        "does-not-outweigh-a-sign-that-it-goes-on",
        "emergency",
        "my uncle fell off the garage roof, he's ok but he can't get up",
        "my uncle fell off the garage roof, he's fine but very pale",
        "my uncle fell off the garage roof, he's fine he says",
    ),
    *cases("FIGURATIVE", "i-mean-it-is-no-joke", "emergency", "I want to end my life, I mean it"),
    # NEGATED_EXISTENCE: a denial said after the symptom
    *cases(
        "NEGATED_EXISTENCE",
        "absence-said-after-the-symptom",
        "none",
        "temperature is not there, shivering also not there, just a stiff lower back",
    ),
    *cases(
        "NEGATED_EXISTENCE",
        "does-not-cover-a-symptom-that-is-there",
        "urgent",
        "fever is there since yesterday, chills not there, back hurts",
    ),
    *cases(
        "HYPOTHETICAL",
        "generic-we",
        "none",
        "my cousin says massage is bad if we have fever, is that right? I don't have fever",
    ),
    *cases("HYPOTHETICAL", "own-fever-counts", "urgent", "I have fever and my back hurts"),
    # OTHER_PERSON_OK: someone else, now fine or admitted
    *cases(
        "OTHER_PERSON_OK",
        "someone-elses-fever-now-fine",
        "none",
        "My sister had a temperature on Monday, now she is fine, can she book with me?",
    ),
    *cases(
        "OTHER_PERSON_OK",
        "someone-elses-fever-going-on-counts",
        "urgent",
        "My sister had a temperature on Monday, now she is shivering and her back hurts",
    ),
    *cases(
        "OTHER_PERSON_OK",
        "relative-admitted-is-in-care",
        "none",
        "so sorry, need to move my slot, my mother is admitted with chest pain and I am going to her",
    ),
    *cases(
        "OTHER_PERSON_OK", "relatives-chest-pain-now-fires", "emergency", "my mother has chest pain and she is sweating"
    ),
    *cases(
        "FAMILY", "sick-child-without-my-or-is", "none", "sorry cant make it, son not well, temperature since evening"
    ),
    *cases(
        "FAMILY",
        "own-temperature-behind-a-cancellation-counts",
        "urgent",
        "sorry cant make it, I have a temperature since evening and my back aches",
    ),
    # CLEARED: checked and cleared; LONG_AGO in other words
    *cases(
        "CLEARED",
        "chest-checked-and-cleared",
        "none",
        "I had chest pain in April, the cardiologist did every test, everything normal, he cleared me",
    ),
    *cases(
        "CLEARED",
        "does-not-cover-chest-pain-now",
        "emergency",
        "I have chest pain since this morning, my ecg last year was normal",
        "chest pain again today, all tests normal in June",
        "I had chest pain an hour ago, everything normal?",
    ),
    *cases(
        "LONG_AGO",
        "life-stage-and-long-back",
        "none",
        "I came off my scooter when I was in school, long back, maybe 20 years",
    ),
    *cases("LONG_AGO", "this-morning-fires", "emergency", "I came off my scooter this morning and my back hurts"),
    # FIGURATIVE: figures of speech with the trivial cause named
    *cases(
        "FIGURATIVE",
        "idiom-with-its-cause",
        "none",
        "my landlord is giving me heart attack with these rent hikes",
        "this job is taking my life slowly haha",
        "legs are dead after yesterday's hike",
        "my back is broken from moving boxes all weekend lol",
        "I nearly passed out from relaxation during the facial haha",
    ),
    *cases(
        "FIGURATIVE",
        "same-words-of-ones-own-emergency-fire",
        "emergency",
        "my dad is having a heart attack",
        "I am thinking of taking my life",
        "my legs are dead and numb since this morning",
        "I nearly fainted at the bus stop and my back hurts",
    ),
    *cases(
        "FIGURATIVE",
        "fall-while-moving-house-fires",
        "emergency",
        "I fell off a ladder moving house and think my back is broken",
    ),
    # INTENTIONAL: weight loss as a goal
    *cases("INTENTIONAL", "weight-loss-as-a-goal", "none", "will yoga help weight loss?"),
    *cases(
        "INTENTIONAL",
        "unexplained-weight-loss-counts",
        "urgent",
        "I lost 6 kg without trying, can massage help?",
        "I am losing weight and I don't know why",
    ),
    # EVERYDAY_REASON: breathless, unfitness named, not the stairs alone
    *cases(
        "EVERYDAY_REASON",
        "breathless-with-unfitness-named",
        "none",
        "breathless after cricket with my nephew, I'm so out of shape lol",
        "I'm breathless on the stairs, no exercise for years",
    ),
    *cases(
        "EVERYDAY_REASON",
        "the-stairs-alone-are-no-reason",
        "emergency",
        "I got so breathless climbing the stairs to my flat just now I had to sit down",
    ),
    # new wording of two emergencies
    *cases(
        "MAJOR_TRAUMA",
        "vehicle-overturning",
        "emergency",
        "the jeep flipped over with me and my brother in it",
        "our auto rickshaw turned over on the highway",
    ),
    *cases(
        "MAJOR_TRAUMA", "rolling-over-without-a-vehicle", "none", "I rolled over onto my front on the massage table"
    ),
    *cases(
        "SUICIDAL",
        "indirect-wording-fires",
        "emergency",
        "I just want everything to stop permanently",
        "sometimes I want to end it all",
        "I want to go to sleep and never wake up",
    ),
    *cases(
        "SUICIDAL", "wanting-a-noise-to-stop", "none", "I want the noise from next door to stop, it's driving me mad"
    ),
    *cases(
        "EVERYDAY_REASON",
        "breathless-explained-unfit-longstanding-or-cleared",
        "none",
        "I get out of breath on the stairs but that's cause I'm so unfit haha",
        "my dad gets short of breath on hills, always has, the GP knows, can he have a massage?",
        "my wife gets breathless on stairs, her GP says it's fitness, can she lie flat?",
    ),
    *cases(
        "EVERYDAY_REASON",
        "breathless-with-a-new-change-fires",
        "emergency",
        "I get out of breath on the stairs but now my chest is tight",
        "my dad gets short of breath on hills, always has, but now he can't catch his breath sitting down",
    ),
    # Scots and northern spellings
    *cases(
        "SCOTS",
        "emergency-wording-fires",
        "emergency",
        "i cannae feel my legs since this mornin",
        "fell aff a roof at work, back's in agony",
        "she keeled ower n passed oot in the kitchen, came round on the floor",
    ),
    *cases(
        "EVERYDAY_REASON",
        "shy-bladder-is-no-retention",
        "none",
        "cannae pee at the urinals if there's a queue, shy bladder, been like that for ever",
    ),
    *cases(
        "EVERYDAY_REASON",
        "retention-without-the-everyday-cause-fires",
        "emergency",
        "cannae pee since last night n my back's agony",
    ),
    # SUICIDAL: indirect wording, a means, a plan, a time
    *cases(
        "SUICIDAL",
        "a-means-or-a-time-fires",
        "emergency",
        "my family would be better aff withoot me",
        "ive been savin up my tablets in a shoebox",
        "been stockpiling painkillers for a while now",
        "counted out all my pills on the table tonight",
        "i won't be here by friday so it doesnae matter",
        "i won't be around much longer, it's all sorted",
        "fed up wi it all, i've been lookin at the bridge",
    ),
    *cases(
        "SUICIDAL",
        "weariness-or-a-pill-routine-alone",
        "none",
        "sick of it all wi this back, need a good massage",
        "my tablets are lined up in the weekly organiser",
        "i won't be here next week, on holiday, can we move it",
    ),
    # INFO_QUESTION, CARER, a first run
    *cases(
        "INFO_QUESTION",
        "own-symptom-before-the-question-fires",
        "emergency",
        "my neck's stiff n i've a fever, can you explain what that means",
    ),
    *cases("CARER", "bairns-fever-behind-a-cancellation", "none", "sorry hen, have to cancel, the bairn's got a fever"),
    *cases(
        "EVERYDAY_REASON",
        "breathless-from-a-first-run",
        "none",
        "bit breathless after my first jog in ages",
        "oot of breath after couch to 5k week one",
    ),
    *cases(
        "EVERYDAY_REASON",
        "breathless-sitting-still-fires",
        "emergency",
        "short of breath sittin on the couch, came on oot of nowhere",
    ),
]

# Sentences that may land at any level but an emergency.
NOT_AN_EMERGENCY = [
    *cases(
        "LONG_AGO",
        "trauma-months-ago-is-history",
        "emergency",
        "I came off my motorbike four months ago, my shoulders are tight",
    ),
    *cases(
        "BENIGN_CONTEXT",
        "witnessed-accident",
        "emergency",
        "I helped at a car crash on the way home and now my neck is tense from the stress",
    ),
    *cases(
        "LONGSTANDING",
        "unchanged-for-years-is-no-new-loss",
        "emergency",
        "my brother can't walk, he has had spina bifida since birth",
    ),
    *cases(
        "EVERYDAY_REASON",
        "breathless-with-unfitness-named",
        "emergency",
        "I'm so unfit I get breathless on the dash for the school gate",
    ),
]

# Sentences in two tables: their level, and the kind that drops them.
SCOTS_NEGATIONS = [
    "nae fever, nae numbness, just a stiff back fae the gym",
    "nae weakness in my legs, just tired fae the walk",
    "i dinnae have chest pain, it's my lower back",
    "she isnae suicidal, she's just had a rotten week",
    "havenae had a temperature at all",
    "nothin numb doon there, just a pulled muscle",
]
INFO_QUESTIONS = [
    "could you explain what a stiff neck wi a fever means, for my first aid class",
    "what should runners look out for after a fall on ice, in general",
]

# Sentences whose level must be one of those given.
ONE_OF_LEVELS = [
    *cases(
        "DENIED_RECOVERY",
        "no-recovery",
        ("urgent", "emergency"),
        "I've got a temperature that hasn't settled",
        "the tingling in both legs has not gone away",
        "my legs went numb on the walk and they haven't gone back to normal",
    ),
    *cases(
        "NEGATED_EXISTENCE",
        "scots-negation",
        ("none", "professional"),
        *SCOTS_NEGATIONS,
    ),
    *cases(
        "INFO_QUESTION",
        "explain-or-watch-out-for",
        ("none", "professional"),
        *INFO_QUESTIONS,
    ),
]

# Sentences a named kind must be the one to drop (their level is checked in the tables above).
DROPPED_BY_KIND = [
    pytest.param(text, kind, id=f"{kind}-{n}")
    for kind, texts in {
        "RESOLVED": ["I had a temperature on Saturday with a cold but now I'm recovered totally"],
        "OTHER_PERSON_OK": [
            "can't come on Monday, my brother had a motorbike crash and he's in hospital",
            "My sister had a temperature on Monday, now she is fine, can she book with me?",
            "so sorry, need to move my slot, my mother is admitted with chest pain and I am going to her",
        ],
        "EARLIER": ["I'm 26 weeks pregnant, had a little bleeding early on, now all fine on the scans"],
        "LONGSTANDING": ["my brother can't walk, he has had spina bifida since birth"],
        "NEGATED_EXISTENCE": [
            "temperature is not there, shivering also not there, just a stiff lower back",
            *SCOTS_NEGATIONS,
        ],
        "CLEARED": ["I had chest pain in April, the cardiologist did every test, everything normal, he cleared me"],
        "INTENTIONAL": ["will yoga help weight loss?"],
        "INFO_QUESTION": INFO_QUESTIONS,
        "CARER": ["sorry hen, have to cancel, the bairn's got a fever"],
    }.items()
    for n, text in enumerate(texts, 1)
]


@pytest.mark.parametrize(("text", "expected"), EXACT_LEVEL)
def test_level(detector, text, expected):
    assert level(detector, text) == expected


@pytest.mark.parametrize(("text", "never"), NOT_AN_EMERGENCY)
def test_not_an_emergency(detector, text, never):
    assert level(detector, text) != never


@pytest.mark.parametrize(("text", "allowed"), ONE_OF_LEVELS)
def test_one_of_levels(detector, text, allowed):
    assert level(detector, text) in allowed


@pytest.mark.parametrize(("text", "kind"), DROPPED_BY_KIND)
def test_dropped_by_kind(detector, text, kind):
    assert kind in dropped_by(detector, text)


def test_hypothetical_second_person_is_a_question(detector):
    assessment = detector.assess("if you had numbness down there would that mean hospital?")
    assert assessment.level == "none" and assessment.info_question
