from zhengtu.supervisees.names import other_readings, pinyin_of


def test_initials_and_full_pinyin_of_a_common_name() -> None:
    assert pinyin_of("张三") == ("zhangsan", "zs")


def test_surname_reading_comes_first_and_ordinary_reading_is_kept() -> None:
    assert pinyin_of("单田芳") == ("shantianfang", "stf")
    assert other_readings("单田芳") == [("dantianfang", "dtf")]
    assert other_readings("张三") == []


def test_compound_surnames_and_minority_names() -> None:
    assert pinyin_of("尉迟恭")[1] == "ycg"
    assert pinyin_of("买买提·艾力") == ("maimaitiaili", "mmtal")


def test_latin_letters_are_kept_and_long_names_fit_the_columns() -> None:
    assert pinyin_of("Tom")[0] == "tom"
    full, initials = pinyin_of("单" * 50)
    assert len(full) <= 200 and len(initials) <= 50
    assert all(len(p) <= 200 and len(i) <= 50 for p, i in other_readings("单" * 50))
