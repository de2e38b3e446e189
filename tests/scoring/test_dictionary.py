"""The bilingual dictionary: FreeDict's dictd files read both ways, lemmatised lookups,
Dutch decompounding, and the language of a text."""
from __future__ import annotations

import io

import pytest

from scoring.dictionary import (
    BilingualDictionary,
    DictdSource,
    parse_entry,
    read_dictd,
)
from scoring.language import text_language
from tests.scoring.builders import (
    DUTCH_WORDS,
    EN_NL,
    NL_EN,
    make_dictionary,
    write_dictd,
)


@pytest.fixture(scope="module")
def dictionary(tmp_path_factory) -> BilingualDictionary:
    return make_dictionary(tmp_path_factory.mktemp("dictionary"))


def texts(translations) -> list[str]:
    return [t.text for t in translations]


def test_a_dictd_file_is_read_entry_by_entry_without_the_database_information(tmp_path):
    source = write_dictd(tmp_path, "small", {"fles": NL_EN["fles"], "vet": NL_EN["vet"]})

    entries = dict(read_dictd(source))

    assert entries == {"fles": "fles /flɛs/\nbottle\n", "vet": "vet /vɛt/\n1. fat, greasy\n2. grease\n"}


def test_a_dictd_file_can_be_read_from_streams(tmp_path):
    source = write_dictd(tmp_path, "small", {"fles": NL_EN["fles"]})
    streams = DictdSource(io.BytesIO((tmp_path / "small.index").read_bytes()),
                          io.BytesIO((tmp_path / "small.dict.dz").read_bytes()))

    assert list(read_dictd(streams)) == list(read_dictd(source))


def test_an_index_that_is_not_dictd_is_refused(tmp_path):
    (tmp_path / "bad.index").write_text("just some words\n", encoding="utf-8")
    (tmp_path / "bad.dict.dz").write_bytes(b"")

    with pytest.raises(ValueError):
        list(read_dictd(DictdSource.at(tmp_path / "bad")))


def test_an_entry_is_parsed_into_senses_without_pronunciation_or_notes():
    assert parse_entry(NL_EN["verf"]) == (
        "verf", (("paint", "dye", "stain", "colour"), ("lacquer", "varnish")))
    assert parse_entry(NL_EN["kwaadaardig (med.)"]) == ("kwaadaardig", (("malignant",),))
    assert parse_entry(NL_EN["lift"]) == ("lift", (("elevator", "lift"),))
    # the ij ligature is folded, so the headword is found as Dutch texts write it
    assert parse_entry(NL_EN["vĳver"])[0] == "vijver"


def test_both_dictionaries_are_read_both_ways(dictionary):
    # eng-nld has no "chair": nld-eng's "stoel -> chair" read backwards gives it
    assert texts(dictionary.translations("chair", "en")) == ["stoel"]
    # and both say fles/bottle: found either way
    assert texts(dictionary.translations("fles", "nl")) == ["bottle"]
    assert "fles" in texts(dictionary.translations("bottle", "en"))


def test_a_pair_both_dictionaries_agree_on_is_surer_than_one_found_once(dictionary):
    weights = {t.text: t.weight for t in dictionary.translations("verzamelen", "nl")}
    # nld-eng and eng-nld both pair verzamelen with collect; gather only nld-eng
    assert weights["collect"] > weights["gather"]


def test_the_first_sense_weighs_more_than_later_ones(dictionary):
    weights = {t.text: t.weight for t in dictionary.translations("vet", "nl")}
    assert weights["fat"] > weights["grease"]


def test_inflected_words_are_looked_up_by_their_lemma(dictionary):
    assert "chair" in texts(dictionary.translations("stoelen", "nl"))
    assert "discard" in texts(dictionary.translations("afgedankte", "nl"))  # -> afgedankt -> afdanken
    assert "verzamelen" in texts(dictionary.translations("collected", "en"))
    assert "stoel" in texts(dictionary.translations("chairs", "en"))


def test_a_dutch_compound_the_dictionary_lacks_is_translated_by_its_head(dictionary):
    # frituurvet is no entry; frituur is a Dutch word (the word list), vet an entry
    assert texts(dictionary.translations("frituurvet", "nl"))[:2] == ["fat", "greasy"]
    # a front that is no Dutch word does not make a compound
    assert dictionary.translations("xqzwvet", "nl") == ()


def test_a_word_has_an_entry_of_its_own_only_when_translated_as_a_whole(dictionary):
    # the title's head (scoring.heads) is covered by a compound's head part only for a word the
    # dictionary does not translate whole: *frituurvet* is read as *vet*, *stoelen* is a word
    assert dictionary.has_entry("stoelen")  # by its lemma
    assert dictionary.has_entry("chairs")
    assert not dictionary.has_entry("frituurvet")  # translated through its head only
    assert not dictionary.has_entry("xqzw")


def test_a_compound_is_not_translated_by_a_head_that_only_classifies(tmp_path):
    # *zaaksysteem* (case-management software) is no evidence of every "system": a tender for it
    # got a shortlist of suppliers whose profiles said "system" (bench/bilingual-b, off-topic)
    dictionary = make_dictionary(tmp_path, dutch_words=DUTCH_WORDS + "zaak\n",
                                 nl_en={**NL_EN, "systeem": "systeem /sisˈteːm/\nsystem\n"})
    assert texts(dictionary.translations("systeem", "nl")) == ["system"]
    assert dictionary.translations("zaaksysteem", "nl") == ()
    assert texts(dictionary.translations("muurverf", "nl"))[:1] == ["paint"]  # a head that says what


def test_a_dutch_translation_that_is_also_an_english_word_is_left_out(dictionary):
    # "boot" is an English word (boot -> laars): it would match English texts about boots
    assert texts(dictionary.translations("ship", "en")) == ["schip"]
    # unless the dictionary says the word is the same in both languages (lift -> lift)
    assert texts(dictionary.translations("elevator", "en")) == ["lift"]


def test_an_english_translation_that_dutch_writes_too_is_kept(dictionary):
    # "elevator" is in the Dutch word list too: a loanword, with the same meaning
    assert texts(dictionary.translations("lift", "nl")) == ["elevator"]


def test_a_word_neither_dictionary_translates_is_bridged_by_the_curated_lexicon(tmp_path):
    lexicon = [("hose", ["slang"]), ("sewage", ["riool", "rioolwater"])]
    plain = make_dictionary(tmp_path)
    curated = make_dictionary(tmp_path, lexicon=lexicon)

    assert plain.translations("hose", "en") == ()
    assert texts(curated.translations("hose", "en")) == ["slang"]
    assert texts(curated.translations("hoses", "en")) == ["slang"]  # by its lemma, as any entry
    # read both ways, every translation as sure as the first
    assert texts(curated.translations("rioolwater", "nl")) == ["sewage"]
    assert [t.weight for t in curated.translations("sewage", "en")] == [0.8, 0.8]


def test_a_lexicon_pair_freedict_has_too_is_surer_than_either(tmp_path):
    plain = make_dictionary(tmp_path)
    curated = make_dictionary(tmp_path, lexicon=[("gather", ["verzamelen"])])

    def weight(d):
        return {t.text: t.weight for t in d.translations("verzamelen", "nl")}["gather"]

    assert weight(curated) > weight(plain)


@pytest.mark.parametrize("word, language, cognate", [
    ("installatie", "nl", "installation"),
    ("functioneel", "nl", "functional"),
    ("digitaal", "nl", "digital"),
    ("elektronisch", "nl", "electronic"),  # k is c in English
    ("technologie", "nl", "technology"),
    ("ventilation", "en", "ventilatie"),
    ("organisation", "en", "organisatie"),
    ("industrial", "en", "industrieel"),
    # verbs, by their lemma's ending
    ("calibrated", "en", "kalibreren"),  # c is k in Dutch
    ("certify", "en", "certificeren"),
    ("gekalibreerd", "nl", "calibrate"),
    ("gegranuleerde", "nl", "granulate"),
    # -aat/-ate (-at), -uur/-ure, -ose/-osis, -scoop/-scope
    ("granulaat", "nl", "granulate"),
    ("thermostaat", "nl", "thermostat"),
    ("temperatuur", "nl", "temperature"),
    ("diagnose", "nl", "diagnosis"),
    ("microscoop", "nl", "microscope"),
    ("thermostat", "en", "thermostaat"),
    ("microscope", "en", "microscoop"),
])
def test_a_word_neither_dictionary_has_is_bridged_by_its_cognate_ending(dictionary, word,
                                                                       language, cognate):
    assert texts(dictionary.translations(word, language)) == [cognate]


def test_every_counterpart_of_the_ending_the_other_language_has_is_a_cognate(dictionary):
    assert texts(dictionary.translations("certification", "en")) == ["certificering",
                                                                      "certificatie"]
    # "granulate" is a verb (*granuleren*) and a noun (*granulaat*)
    assert texts(dictionary.translations("granulated", "en")) == ["granuleren", "granulaat"]


def test_a_cognate_is_a_dutch_word_when_the_dutch_word_list_has_it(tmp_path):
    # the lemmatiser does not know *polycarbonaat* or *osmose*; OpenTaal's word list does
    dictionary = make_dictionary(tmp_path, dutch_words=DUTCH_WORDS + "polycarbonaat\nosmose\n")
    assert texts(dictionary.translations("polycarbonate", "en")) == ["polycarbonaat"]
    assert texts(dictionary.translations("osmosis", "en")) == ["osmose"]


def test_a_cognate_ending_bridges_only_to_a_word_the_other_language_has(dictionary):
    # "-atie" is "-ation", but there is no English "frobulation"
    assert dictionary.translations("frobulatie", "nl") == ()


def test_a_word_with_an_entry_of_its_own_keeps_its_translations_without_a_cognate(tmp_path):
    # "controle" is "check", not "control"; the entry says so, and no ending overrules it
    dictionary = make_dictionary(tmp_path, nl_en={"controle": "controle /kɔnˈtrɔːlə/\ncheck\n"})
    assert texts(dictionary.translations("controle", "nl")) == ["check"]


def test_a_dutch_compound_is_read_by_its_head_s_cognate(tmp_path):
    dictionary = make_dictionary(tmp_path, dutch_words=DUTCH_WORDS + "gevel\n")
    assert "installation" in texts(dictionary.translations("gevelinstallatie", "nl"))


def test_a_compound_s_head_that_the_dictionary_gives_as_its_own_translation_keeps_that_sense(
        tmp_path):
    # nld-eng gives *plant* as "plant" beside "vegetation": read as its own translation (a
    # cognate) the word is no entry, and *kantoorplanten* reached "office vegetation" and
    # "vegetation" but never the English profile's "office plants" (bench/bilingual-d)
    dictionary = make_dictionary(tmp_path, dutch_words=DUTCH_WORDS + "kantoor\nplant\n",
                                 nl_en={**NL_EN, "kantoor": "kantoor\noffice\n",
                                        "plant": "plant\nplant, vegetation\n"})
    found = texts(dictionary.translations("kantoorplanten", "nl"))
    assert "office plant" in found and "plant" in found
    assert "office vegetation" in found  # the other sense stays


def test_an_adjective_is_no_compound_of_its_ending_though_its_head_may_be_one(tmp_path):
    # *baar* is a bier and *lijk* a corpse: *aantoonbare* was "prove pub" and *ambachtelijke*
    # "handicraft corpse"; *natuurvriendelijke* is a compound whose head is an adjective
    dictionary = make_dictionary(
        tmp_path, dutch_words=DUTCH_WORDS + "aantonen\nambacht\nnatuur\n",
        nl_en={**NL_EN, "baar": "baar\nbar, pub\n", "lijk": "lijk\ncorpse\n",
               "ambacht": "ambacht\nhandicraft\n", "natuur": "natuur\nnature\n",
               "vriendelijk": "vriendelijk\nfriendly\n"})
    assert dictionary.translations("aantoonbare", "nl") == ()
    assert dictionary.translations("ambachtelijke", "nl") == ()
    assert "friendly" in texts(dictionary.translations("natuurvriendelijke", "nl"))


def test_an_affix_s_entry_is_no_word_nor_the_head_of_a_compound(tmp_path):
    # FreeDict lists "‐heid" as "‐ness, ‐ship, ‐ity": read as a word, *duurzaamheid* was a
    # compound of it and met every profile about ships; and "heden" (today), whose stem is
    # "heid", made it "today"
    dictionary = make_dictionary(tmp_path, dutch_words=DUTCH_WORDS + "duurzaam\nbeschikbaar\n",
                                 nl_en={**NL_EN, "heid": "‐heid /hˈɛɪt/\n‐ness, ‐ship, ‐ity\n",
                                        "heden": "heden /hedə(n)/\ntoday\n",
                                        "beschikbaar": "beschikbaar\navailable\n"})
    assert dictionary.translations("duurzaamheid", "nl") == ()
    # a quality the dictionary lacks is what its adjective says
    assert texts(dictionary.translations("beschikbaarheid", "nl")) == ["available"]


def test_what_can_be_done_to_a_thing_is_the_verb_with_the_other_language_s_ending(tmp_path):
    # *-baar* is "-able": a circular tender asks for what is repareerbaar, a profile offers
    # what is repairable, and FreeDict has neither
    dictionary = make_dictionary(tmp_path, dutch_words=DUTCH_WORDS + "repareerbaar\n",
                                 nl_en={**NL_EN, "repareren": "repareren\nrepair, fix\n"})
    assert texts(dictionary.translations("repareerbaar", "nl")) == ["repairable", "fixable"]
    assert texts(dictionary.translations("repairable", "en")) == ["repareerbaar"]
    # only words the other language has: there is no Dutch "fixbaar" nor an English "stoelable"
    assert dictionary.translations("stoelbaar", "nl") == ()


def test_glued_phrases_are_mended(dictionary):
    assert "article of clothing" in texts(dictionary.translations("kleding", "nl"))


def test_translate_gives_the_target_words_best_first(dictionary):
    assert dictionary.translate("verf", "nl")[0] == "paint"
    assert dictionary.translate("onbekendwoord", "nl") == ()
    assert dictionary.translate("fles", "fr") == ()


@pytest.mark.parametrize("text, language", [
    ("Wij zoeken een partij die de flessen ophaalt en voor hergebruik spoelt.", "nl"),
    ("We are looking for a company that collects the bottles and washes them for reuse.", "en"),
    ("Nous cherchons une entreprise pour la collecte des bouteilles.", "fr"),
    # "de" and "en" are French too: they do not make a French text Dutch
    ("Travaux de nettoyage de locaux en plusieurs lots et entretien de bâtiments", "fr"),
    ("Matrassen", None),
])
def test_the_language_of_a_text_is_told_by_its_function_words(text, language):
    assert text_language(text) == language


@pytest.mark.parametrize("word, language, forms", [
    ("herbruikbaar", "nl", {"herbruikbare"}),
    ("herbruikbare", "nl", {"herbruikbaar"}),
    ("reinigen", "nl", {"reinigt", "gereinigd", "gereinigde"}),
    ("inzamelen", "nl", {"inzamelt", "inzamelde"}),
    ("collected", "en", {"collect", "collects", "collecting"}),
    ("battery", "en", {"batteries"}),
])
def test_a_word_is_found_in_its_regular_inflections(dictionary, word, language, forms):
    found = dictionary.inflections(word, language)

    assert forms <= set(found)
    assert word not in found


def test_only_inflections_the_lemmatiser_confirms_are_generated(dictionary):
    # "stoppen" -> "gestopt" is regular; an invented spelling such as "gestoppt" never is
    assert "gestoppt" not in dictionary.inflections("stoppen", "nl")
    assert dictionary.inflections("verf", "fr") == ()
    assert dictionary.inflections("a4", "en") == ()


@pytest.mark.parametrize("word, forms, not_forms", [
    # kom (a basin, a bowl) is no form of komen (to come), which the lemmatiser reads it as
    ("kom", {"komen"}, {"komt", "komende"}),
    # gemaakt ("artificial") is an adjective, not the verb maken
    ("gemaakt", {"gemaakte"}, {"maak", "maakt", "maken"}),
    # verf (paint) is a noun: its plural, not the verb verven's forms
    ("verf", {"verven"}, {"verft", "geverfd"}),
])
def test_a_translation_that_is_no_infinitive_is_inflected_as_a_noun_or_adjective(
        dictionary, word, forms, not_forms):
    # the dictionaries give a Dutch verb as its infinitive: a translation that is not one is
    # inflected as what it is; read as a word of a text, it is inflected as its lemma's form
    found = set(dictionary.inflections(word, "nl", citation=True))

    assert forms <= found
    assert not found & not_forms
    assert not_forms & set(dictionary.inflections(word, "nl"))


def test_a_translation_that_is_an_infinitive_keeps_the_verbs_forms(dictionary):
    assert {"reinigt", "gereinigd", "gereinigde"} <= set(
        dictionary.inflections("reinigen", "nl", citation=True))


def _railway_dictionary(folder) -> BilingualDictionary:
    return make_dictionary(
        folder, nl_en={**NL_EN, "trainen": "trainen /trɛːnə(n)/\ntrain, coach\n"},
        en_nl={**EN_NL, "train": "train /trein/\n1. trein, spoortrein\n2. trainen, coachen\n"},
        dutch_words=DUTCH_WORDS + "training\nherhaling\n")


def test_a_word_both_languages_write_is_not_read_through_its_verb(tmp_path):
    # "training" is the lemmatiser's "train", whose entry names railway trains: an English
    # training tender met Dutch railway profiles (*trein*), a Dutch one English "trains"
    # (bench/bilingual-c, off-topic). Both languages write "training": it meets its twin, and
    # of its verb's translations only the Dutch verbs are its own.
    dictionary = _railway_dictionary(tmp_path)
    found = texts(dictionary.translations("training", "en"))
    assert "trainen" in found
    assert "trein" not in found and "spoortrein" not in found
    assert dictionary.translations("training", "nl") == ()
    assert dictionary.is_loanword_of_a_verb("training")  # its translation is not inflected
    # a word only one language writes is still read through its verb
    assert "trein" in texts(dictionary.translations("trains", "en"))
    assert "train" in texts(dictionary.translations("trainen", "nl"))


def test_a_compound_headed_by_a_word_both_languages_write_is_read_by_that_word(tmp_path):
    # *herhalingstraining* (refresher training) was read as *herhalings-trainen*: "train"
    found = texts(_railway_dictionary(tmp_path).translations("herhalingstraining", "nl"))
    assert "train" not in found and "coach" not in found


def test_no_head_inside_a_generic_word_translates_it(tmp_path):
    # *dienstverlening* (services) read as dienst-verlening, or as the verb dienstverlenen, was
    # "give": an occupational-health tender (*arbodienstverlening*) met a profile that "gives"
    # (bench/bilingual-b, off-topic)
    dictionary = make_dictionary(
        tmp_path, nl_en={**NL_EN, "verlenen": "verlenen /vərˈleːnə(n)/\ngive, grant\n"},
        dutch_words=DUTCH_WORDS + "dienst\nverlening\ndienstverlening\narbo\n")
    assert "give" in texts(dictionary.translations("verlenen", "nl"))
    assert "give" not in texts(dictionary.translations("dienstverlening", "nl"))
    assert "give" not in texts(dictionary.translations("arbodienstverlening", "nl"))


def test_a_word_with_a_meaning_of_its_own_is_a_compound_only_of_what_it_is_a_kind_of(tmp_path):
    # kantoor (office) ends in oor (ear) after a Dutch word (kant), but is no kind of ear: an
    # English tender's "ear" met every kantoor; windmolen ("windmill") is a kind of molen
    # ("mill"); a compound the dictionary does not list is read by its parts
    dictionary = make_dictionary(
        tmp_path,
        nl_en={**NL_EN, "kantoor": "kantoor /kɑntor/\noffice\n", "oor": "oor /or/\near\n",
               "windmolen": "windmolen /wɪntmolə(n)/\nwindmill\n",
               "molen": "molen /molə(n)/\nmill\n", "tafel": "tafel /tafəl/\ntable\n"},
        dutch_words=DUTCH_WORDS + "kant\nwind\npicknick\n")

    assert not dictionary.is_compound_of("kantoor", "oor")
    assert dictionary.is_compound_of("windmolen", "molen")
    assert dictionary.is_compound_of("picknicktafel", "tafel")


def test_a_front_of_two_dutch_words_makes_a_compound_unless_the_second_makes_a_word_with_the_head(
        tmp_path):
    # wervelstroomscheiders (eddy-current separators): *wervelstroom* is no word of the list but
    # *wervel* and *stroom* are, and an English tender's "separators" met none of them;
    # papierkringloop is paper and a *kringloop* (a cycle), no kind of *loop*; the second word
    # is one as written or before a linking s: bedrijfscatering is no *bedrijf*, *scat(e)* and ring
    dictionary = make_dictionary(
        tmp_path, nl_en={**NL_EN, "scheider": "scheider\nseparator\n", "loop": "loop\ncourse\n",
                         "ring": "ring\nring\n"},
        dutch_words=DUTCH_WORDS + "wervel\nstroom\npapier\nkring\nkringloop\nbedrijf\nscat\n")

    assert dictionary.is_compound_of("wervelstroomscheider", "scheider")
    assert not dictionary.is_compound_of("papierkringloop", "loop")
    assert not dictionary.is_compound_of("bedrijfscatering", "ring")
    assert not dictionary.is_compound_of("abcdstroomscheider", "scheider")  # no word in front


def test_an_action_noun_is_no_compound_of_the_end_of_its_ing(tmp_path):
    # keuring is what keuren does, not a kind of ring behind *keu* (a cue); levering what
    # leveren does; a sleutelring is a ring, and energielevering a levering
    dictionary = make_dictionary(tmp_path, nl_en={**NL_EN, "ring": "ring\nring\n"},
                                 dutch_words=DUTCH_WORDS + "keu\nleve\nsleutel\nenergie\n")

    assert not dictionary.is_compound_of("keuring", "ring")
    assert not dictionary.is_compound_of("levering", "ring")
    assert dictionary.is_compound_of("sleutelring", "ring")
    assert dictionary.is_compound_of("energielevering", "levering")


def test_a_three_letter_word_in_front_makes_a_compound_a_prefix_does_not(tmp_path):
    # oorkussens (ear cushions) and dakplaten (roof panels) are compounds of kussen and plaat, as
    # a Dutch profile writes what an English tender's "ear cushions" and "roof panels" ask; ver-
    # and uit- are prefixes, though ver ("far") and uit ("out") are headwords: verhuur (rental)
    # is no kind of huur, uitvoer (export) none of voer (fodder)
    dictionary = make_dictionary(
        tmp_path,
        nl_en={**NL_EN, "oor": "oor /or/\near\n", "dak": "dak /dɑk/\nroof\n",
               "ver": "ver /vɛr/\nfar\n", "uit": "uit /œyt/\nout\n",
               "kussen": "kussen /kʏsə(n)/\ncushion\n", "plaat": "plaat /plat/\nplate\n",
               "huur": "huur /hyr/\nrent\n", "voer": "voer /vur/\nfodder\n"},
        dutch_words=DUTCH_WORDS + "oor\ndak\nver\nuit\n")

    assert dictionary.is_compound_of("oorkussen", "kussen")
    assert dictionary.is_compound_of("dakplaat", "plaat")
    assert not dictionary.is_compound_of("verhuur", "huur")
    assert not dictionary.is_compound_of("uitvoer", "voer")
    # a three-letter front the dictionary does not list stays too short to be a word
    assert not dictionary.is_compound_of("abckussen", "kussen")
    # and a compound the dictionary lacks is translated by its head behind such a front, as
    # by a longer one (a Dutch tender's oorkussens asks English profiles for cushions), never
    # behind a prefix
    assert "ear cushion" in texts(dictionary.translations("oorkussens", "nl"))
    assert "cushion" in texts(dictionary.translations("oorkussens", "nl"))
    assert "fodder" not in texts(dictionary.translations("uitvoer", "nl"))


def test_a_possessive_is_the_word_it_belongs_to(tmp_path):
    # FreeDict writes "tobacconist's" for *sigarenwinkel*; split at the apostrophe it made a
    # word "s" of its own
    dictionary = make_dictionary(tmp_path, nl_en={
        "sigarenwinkel": "sigarenwinkel /sigarənʋɪŋkəl/\ntobacconist's\n"}, en_nl={})

    assert texts(dictionary.translations("sigarenwinkel", "nl")) == ["tobacconist"]


def test_a_translation_made_of_function_words_only_is_no_translation(tmp_path):
    # the archaic pronoun *dier* is "that one's": "one" met every profile that writes "ones"
    # from the stray animals (*zwerfdieren*) of a tender; a number still translates
    dictionary = make_dictionary(tmp_path, nl_en={
        "dier": "dier /dir/\n1. animal\n2. beast\n3. thatone's\n",
        "dubbel": "dubbel /dʏbəl/\ndouble\n",
        "blik": "blik /blɪk/\ncan, tin\n"}, en_nl={})

    assert texts(dictionary.translations("dier", "nl")) == ["animal", "beast", "thatone"]
    assert dictionary.translations("that one", "en") == ()
    assert texts(dictionary.translations("double", "en")) == ["dubbel"]
    # a one-word function word keeps its translations: "can" is the lemma of "cans"
    assert texts(dictionary.translations("cans", "en")) == ["blik"]


def test_a_latin_plural_is_a_dutch_inflection():
    from scoring.dictionary import _inflections

    assert "musea" in _inflections("museum", "nl")
    assert "centra" in _inflections("centrum", "nl")


def test_an_english_cognate_is_found_by_its_plural_and_a_false_friend_is_not(tmp_path):
    dictionary = make_dictionary(tmp_path, nl_en={
        "museum": "museum /myˈzejʏm/\nmuseum\n",
        "boot": "boot /bot/\nboat, ship\n"}, en_nl={"boot": "boot /buːt/\nlaars\n"})

    assert dictionary.cognate_of("museum") == "museum"
    assert dictionary.cognate_of("museums") == "museum"
    assert dictionary.cognate_of("boots") is None  # *boot* is a ship
    assert dictionary.cognate_of("galleries") is None


def test_the_lemma_of_a_word_is_the_word_its_forms_share(dictionary):
    assert {dictionary.lemma(w, "nl") for w in ("ophalen", "ophaalt", "opgehaald")} == {"ophalen"}
    assert dictionary.lemma("collected", "en") == "collect"
    assert dictionary.lemma("Ophaalt", None) == "ophaalt"  # no language, no lemma


def test_a_longer_word_ends_a_compound_as_the_engine_stems_it_too(tmp_path):
    # the term of *hulpmiddelen* is *hulpmiddeel*: it ends in *middelen* (means), so its head is
    # no *deel* (sharing), which read a Wmo tender's aids as a bike-sharing firm's "sharing"
    dictionary = make_dictionary(tmp_path, nl_en={
        "middelen": "middelen /mɪdələ(n)/\nmeans, resources\n",
        "delen": "delen /delə(n)/\nshare, divide\n"}, en_nl={})

    assert not dictionary.reads_as_head("hulpmiddeel", "deel")
    assert dictionary.reads_as_head("hulpmiddeel", "middeel")


def test_an_english_word_that_ends_in_another_is_its_compound_only_where_it_means_a_kind_of_it(
        tmp_path):
    # "vegetables", "suitable" and "throughout" end in "table" and *hout* (wood), "support" (a
    # word the Dutch list borrows) in "port": read as compounds of them, an English tender
    # about vegetables met every profile about *tafels*, and "technical support" every profile
    # about a *haven*. An airport is a port (*luchthaven*), a worktable a table, plywood wood,
    # and a Dutch compound the word list lacks is still read by its head
    dictionary = make_dictionary(tmp_path, dutch_words=DUTCH_WORDS + "support\n", nl_en={
        "tafel": "tafel /tafəl/\ntable\n", "hout": "hout /hɑut/\nwood\n",
        "haven": "haven /havə(n)/\nport, harbour\n"}, en_nl={
        "table": "table /ˈteɪbəl/\ntafel\n", "vegetable": "vegetable /ˈvɛdʒtəbəl/\ngroente\n",
        "suitable": "suitable /ˈsuːtəbəl/\ngeschikt\n",
        "throughout": "throughout /θruːˈaʊt/\novertal\n",
        "port": "port /pɔːt/\nhaven\n", "support": "support /səˈpɔːt/\nsteun\n",
        "air": "air /ɛː/\nlucht\n", "airport": "airport /ˈɛːpɔːt/\nluchthaven\n",
        "work": "work /wɜːk/\nwerk\n", "plywood": "plywood /ˈplaɪwʊd/\ntriplex\n"})

    assert not dictionary.reads_as_head("vegetable", "table")
    assert not dictionary.reads_as_head("suitable", "table")
    assert not dictionary.reads_as_head("throughout", "hout")
    assert not dictionary.reads_as_head("support", "port")
    assert dictionary.reads_as_head("airport", "port")
    assert dictionary.reads_as_head("worktable", "table")
    assert dictionary.reads_as_head("plywood", "wood")  # English alone: its front is a word
    assert dictionary.reads_as_head("kantinetafel", "tafel")


def test_an_activity_both_languages_write_is_no_form_of_a_nouns_glossary_entry(tmp_path):
    # "monitoring" names what the verb "monitor" does: read as a form of the glossary's
    # "monitor" (a screen), a noise study met a refurbisher of *beeldschermen*
    dictionary = make_dictionary(tmp_path, dutch_words=DUTCH_WORDS + "monitoring\nmonitor\n")
    assert dictionary.is_loanword_of_a_verb("monitoring")

    forms = dictionary.entry_inflections("monitor", "en", ("beeldscherm", "monitor"))

    assert "monitors" in forms
    assert "monitoring" not in forms
