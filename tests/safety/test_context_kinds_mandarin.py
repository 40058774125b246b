"""Mandarin-Chinese English: the wordings the 2026-11-30-sb10 batch showed the rules could not read.

Non-native grammar drops plurals, tenses and articles: "chill and back ache",
"both my leg have no strength", "my grandma faint in kitchen just now", "when i
cough or sneeze my back pain shoot like electric", "i no want to live
anymore". Each kind is a term, a pattern or a co-occurrence rule in
content/red_flags.yml, not the batch's sentence; the first rows of each table
are sb10's own messages, the rest written for these tests. Every new wording
has a look-alike that must stay below urgent.
"""

from __future__ import annotations

import pytest

from bot.core.levels import ALERT_LEVELS
from tests.support.kinds import level, rows


@pytest.mark.parametrize(
    "text, expected",
    rows(
        "indirect-suicidal",
        "emergency",
        "sometimes when i stand on tube platform i think just jump, then no more back pain",
        "i no want to live anymore ah, pain every day, nobody understand me",
        "been thinking to take all my pain tablet at once, then no more pain forever",
        "life no meaning anymore with this pain. i already write letter to my daughter",
        "my daughter 16 has back pain from dance, today i see many cut on her leg, she say she do it herself",
        "i cut my arm last night again, back pain and stress too much, dont know what to do",
    )
    + rows(
        "cauda-equina",
        "emergency",
        "both my leg have no strength suddenly, i cannot stand up from sofa, back pain very bad",
        "two legs feel like not mine, heavy and numb, start after i wake up today. back pain also",
        "my wife cannot control her toilet anymore since yesterday, both pee and poo, and her back pain getting worse",
        "this morning i pee my pants without knowing, i didnt feel it come. back pain from sciatica 2 weeks",
        "very shame to say this. i poo in my pants and dont feel it happen. my back very painful since weekend",
        "need to go toilet but the pee not coming out, like 10 hour now. back pain. can massage help loosen it?",
    )
    + rows(
        "stroke-collapse",
        "emergency",
        "my arm and leg on left side suddenly weak, cannot hold cup, i thought it is from bad back?",
        "my face one side numb and my hand weak suddenly, i am 45, only back pain before",
        "sudden cannot see from one eye and worst headache, also my neck and back pain",
        "my grandma faint in kitchen just now, she wake up but very confused, she has back pain for a week",
        "my mum pass out in the shower and hit the floor, she has back pain since, and she still dizzy",
    )
    + rows(
        "pregnancy-waters",
        "emergency",
        "my wife 36 weeks pregnant, her waters break i think, and back pain coming and going very strong",
        "pregnant 22 week, back pain come in wave every few minute and water leaking down my leg",
        "pregnant with twins 33 weeks, back pain and clear water keep coming out",
    )
    + rows(
        "fall-down-stair",
        "emergency",
        "dad 80 fall down the whole stair from top floor, he say back very painful and cannot get up",
    ),
)
def test_emergency_wording(detector, text, expected):
    assert level(detector, text) == expected, detector.assess(text).flags


@pytest.mark.parametrize(
    "text, expected",
    rows(
        "chill-singular",
        "urgent",
        "chill and back ache since yesterday, is it flu or back problem? can i come massage tomorrow",
        "i have shiver and sweat at night, lower back pain, is this heatiness? herbal tea can help?",
        "my father is on dialysis and his immune is weak, now he has back pain and temperature",
        "i had spleen removed and my immune low, now back pain and feel unwell",
    )
    + rows(
        "cough-sneeze",
        "urgent",
        "when i cough or sneeze my back pain shoot like electric, very very bad",
        "sneeze make my back pain so strong i have to hold the wall",
        "every time i cough my back pain go down to the leg, become worse since 3 day",
        "sneezing or even laughing make my low back very painful now, before not like this",
    )
    + rows(
        "new-lump",
        "urgent",
        "there is a bump on my husband spine, we never see before, it painful when touch",
        "can you massage a lump? i have new one on my back near shoulder blade, bigger every week",
    )
    + rows(
        "fragile-bones",
        "urgent",
        "mum has osteoporosis, she slip in kitchen yesterday and now her back very painful, can massage help?",
        "my mum 70 has osteoporosis, she bend to pick up laundry and feel sudden pain in back, now cannot stand straight",
        "my dad on long term steroid for arthritis, he fall from chair yesterday, back pain",
    )
    + rows(
        "calf",
        "urgent",
        "my mum calf suddenly fat and warm, and tender, she just had knee operation",
    ),
)
def test_urgent_wording(detector, text, expected):
    assert level(detector, text) == expected, detector.assess(text).flags


@pytest.mark.parametrize(
    "text, expected",
    rows(
        "professional",
        "professional",
        "my husband back pain more than 8 week, he refuse to see doctor, just want massage",
        "neck and upper back pain half a year, massage help a bit but always come back",
        "my neck and back ache 4 month even after physio, no improve",
        "shooting pain from buttock down past my knee into the foot with tingling, right side, i am taxi driver",
        "tingling down the back of my calf, pins and needle, from my bum, one side only",
        "sciatica left side, numb feeling on outside of foot, walking ok, no weakness",
        "my son 17 has pins and needles down one leg to his foot after rugby, back sore",
        "on edoxaban after AF diagnosis, can i still do gua sha?",
        "i am on blood thinner after clot last year, will massage give me bruise?",
        "my wife pregnant 28 week, she had preterm labour in first pregnancy, now want massage for back",
    ),
)
def test_professional_wording(detector, text, expected):
    assert level(detector, text) == expected, detector.assess(text).flags


@pytest.mark.parametrize(
    "text, expected",
    rows(
        "look-alike",
        "none",
        "i stand on the tube platform every morning and think my back is stiff from the commute",
        "had to jump on the train, then my back felt a bit stiff",
        "i wrote a letter to my son's school about his back brace",
        "i took one pain tablet at once with water before work, back a bit stiff",
        "so chill and relaxed after the massage, my back feel great",
        "i feel a chill in the room when the window open, back is fine",
        "when i cough my throat is sore, back is ok",
        "my back hurts a bit when i cough because of a cold",
        "sneezing makes my eyes water, back is ok",
        "my baby bump is getting bigger every week and my back ache",
        "there is a knot in my back near the spine, can you massage it",
        "i have a new one on my arm, a tattoo, can i still have back massage",
        "my legs have no strength after leg day at the gym",
        "i pee my pants laughing at the comedy show lol, back is fine",
        "my mum faint when she see blood, she want massage for her back",
        "water leaking from the ceiling, my back stiff from cleaning",
        "my dad take steroid cream for his skin, back stiff",
        "i bend down to pick up my son, my back a bit tight",
        "i cut my hair again, back massage available saturday?",
        "i cut my arm again on the kitchen knife, can still come for back massage",
        "my kids do it themselves now, my back is better",
    ),
)
def test_look_alikes_stay_below_urgent(detector, text, expected):
    assert level(detector, text) not in ALERT_LEVELS, detector.assess(text).flags


# Modifier scope and the last wordings (task S3): a duration of use is no past
# event, a relative's history with a new pain "now" or with the relative as the
# client counts, and the wordings the flags lacked. Real sb10 cases first, then
# one written for these tests; the look-alikes below must stay below urgent.
@pytest.mark.parametrize(
    "text, expected",
    rows(
        "scope-emergency",
        "emergency",
        "belly and back very very painful suddenly, like knife cutting inside, i feel dizzy",
        "suddenly my back and stomach very painful, i feel faint",
        "my husband vomit and say worst pain of his life in back and belly, he look grey, he has high blood pressure",
        "she say worst pain ever in her back and tummy, she look pale and sweaty",
        "I work in restaurant kitchen in Manchester, always carry heavy thing. Last week start back pain, take "
        "ibuprofen ok. But today something change, my bum and between my leg feel like wearing thick pad, no feeling. "
        "And when i go toilet the pee very weak, almost nothing. Colleague say come to massage, is ok?",
        "my bottom feel like i wear a nappy, cannot feel anything there",
    )
    + rows(
        "scope-urgent",
        "urgent",
        "my father take steroid for his lung many years, he trip on step and middle of back hurt a lot",
        "mum on prednisolone many years, she slip in bathroom and her back hurt a lot",
        "my mum had breast cancer 5 year ago, now new back pain in middle of back not go away",
        "my dad had bowel cancer long time ago, and now new pain in lower back",
        "lose 8 kg in two month without diet, and back pain. i not try to lose weight",
        "lost 6 kg without diet in 3 month, back pain",
        "my mother back very very painful in the night, she sit up whole night crying, painkiller not working",
        "at night my back very painful, painkiller not working",
        "i used to inject drug, still sometimes. now back pain and i feel hot",
        "i used to inject heroin, still sometimes, now my back hurt",
    )
    + rows(
        "scope-professional",
        "professional",
        "my father had spinal fusion in september, he want massage for shoulder and back",
        "my husband had laminectomy in october, he want massage for his neck",
    ),
)
def test_scope_and_last_wordings(detector, text, expected):
    assert level(detector, text) == expected, detector.assess(text).flags


@pytest.mark.parametrize(
    "text, expected",
    rows(
        "scope-look-alike",
        "none",
        "i fell off my bike many years ago, back is ok now, want relax massage",
        "my mum had breast cancer 5 year ago, i want massage for my stiff neck",
        "my father had spinal fusion long time ago, i want a massage for me",
        "my stomach pain come back suddenly after spicy food",
        "my hair look grey from stress, back a bit stiff",
        "i wear a thick pad on my period, back ache a bit",
        "i lose 5 kg with diet and gym, back a bit sore",
        "painkiller not working for my headache, back a bit stiff in morning",
        "my baby cry whole night, my back sore from carrying her",
        "i used to inject drug 20 year ago, clean since long time, back stiff from work",
        "putting together a leaflet for our day centre - in general can people on blood thinners have massage?",
    ),
)
def test_scope_look_alikes_stay_below_urgent(detector, text, expected):
    assert level(detector, text) not in ALERT_LEVELS, detector.assess(text).flags
