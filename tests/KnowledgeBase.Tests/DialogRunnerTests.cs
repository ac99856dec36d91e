namespace BotEngine.KnowledgeBase.Tests;

public class DialogRunnerTests
{
    [Fact]
    public void Test_kb_is_valid() => Assert.Empty(KbValidator.Validate(TestKb.Load()));

    [Fact]
    public void Greeting_sends_the_greeting_article_with_its_buttons()
    {
        var chat = Chat.Start();
        var result = chat.Greet();
        Assert.Equal(["Здравствуйте! Чем помочь?"], result.Texts());
        Assert.Equal(["menu", null], result.Messages[0].Buttons.Select(b => b.Article));
        Assert.Equal("https://bank.example.org", result.Messages[0].Buttons[1].Url);
        Assert.IsType<TurnOutcome.Continue>(result.Outcome);
    }

    [Fact]
    public void Greeting_out_of_hours_adds_the_notice()
    {
        var result = Chat.Start(TestKb.Evening).Greet();
        Assert.Equal(["Здравствуйте! Чем помочь?", "Операторы работают с 9 до 18, ваш вопрос в очереди."], result.Texts());
    }

    [Fact]
    public void Button_menu_chains_articles()
    {
        var chat = Chat.Start();
        var menu = chat.Press("menu");
        Assert.Equal(["Выберите тему"], menu.Texts());
        var target = menu.Messages[0].Buttons.First(b => b.Label == "Заблокировать карту").Article!;
        var next = chat.Press(target);
        Assert.Equal(["Какая у вас карта?"], next.Texts());
        Assert.Equal("block_card", next.Messages[0].ArticleId);
    }

    [Fact]
    public void Dictionary_slot_offers_buttons_and_takes_the_pressed_value_then_sends_the_matching_answers()
    {
        var chat = Chat.Start();
        var question = chat.Say("заблокировать карту");
        Assert.Equal(["Дебетовая", "Кредитная"], question.Messages[0].Buttons.Select(b => b.Label));
        var done = chat.Choose(question.Messages[0].Buttons[1]);
        Assert.Equal(["Кредитная карта заблокирована.", "Новую карту (Кредитная) можно заказать в приложении."], done.Texts());
        Assert.Equal("credit", chat.State.Slots["card_type"]);
        Assert.Null(chat.State.Scenario);
    }

    [Theory]
    [InlineData("дебетовая", "debit")]
    [InlineData("Дебетовую", "debit")] // by stem
    [InlineData("дебет", "debit")]    // synonym
    [InlineData("2", "credit")]       // number in the list, for channels without buttons
    public void Dictionary_slot_accepts_typed_answers(string typed, string expected)
    {
        var chat = Chat.Start();
        chat.Say("заблокировать карту");
        chat.Say(typed);
        Assert.Equal(expected, chat.State.Slots["card_type"]);
    }

    [Fact]
    public void Invalid_answer_is_re_asked_with_a_hint_and_hands_off_after_the_limit()
    {
        var chat = Chat.Start();
        chat.Say("заблокировать карту");
        var first = chat.Say("золотая");
        Assert.Equal(["Выберите один из вариантов.", "Какая у вас карта?"], first.Texts());
        Assert.IsType<TurnOutcome.Continue>(first.Outcome);
        chat.Say("платиновая");
        var third = chat.Say("серебряная");
        var handoff = Assert.IsType<TurnOutcome.Handoff>(third.Outcome);
        Assert.Equal("slot_failed", handoff.Reason);
        Assert.False(handoff.OutOfHours);
        Assert.Null(chat.State.Scenario);
    }

    [Fact]
    public void What_a_client_makes_the_dialog_store_is_bounded()
    {
        var chat = Chat.Start();
        chat.Say("жалоба");
        var huge = new string('ж', 5000);
        var refused = chat.Say(huge).Texts();
        Assert.Contains("Слишком длинный ответ: не больше 1000 символов.", refused);
        Assert.False(chat.State.Slots.ContainsKey("comment"));
        Assert.All(chat.State.RecentTexts, t => Assert.True(t.Length <= 1000));
        chat.Say("Карта не работает");
        Assert.Equal("Карта не работает", chat.State.Slots["comment"]);
    }

    [Fact]
    public void Integer_and_regex_extract_slots_fill_in_order_and_the_slot_hint_is_used()
    {
        var chat = Chat.Start();
        Assert.Equal(["Какая сумма?"], chat.Say("перевод").Texts());
        Assert.Equal(["Введите целое число от 1 до 1000000.", "Какая сумма?"], chat.Say("много").Texts());
        Assert.Equal(["Номер договора?"], chat.Say("5000 рублей").Texts());
        Assert.Equal(["Номер договора выглядит так: AB-1234.", "Номер договора?"], chat.Say("не помню").Texts());
        var done = chat.Say("договор AB-1234 от мая");
        Assert.Equal(["Перевод 5000 ₽ по договору AB-1234 оформлен."], done.Texts());
        Assert.Equal("5000", chat.State.Slots["amount"]);
        Assert.Equal("AB-1234", chat.State.Slots["contract"]);
    }

    [Fact]
    public void Slot_max_attempts_overrides_the_runner_default()
    {
        var chat = Chat.Start();
        chat.Say("перевод");
        chat.Say("100");
        chat.Say("нет");
        Assert.IsType<TurnOutcome.Handoff>(chat.Say("всё ещё нет").Outcome); // contract allows 2 attempts
    }

    [Fact]
    public void Integer_out_of_range_is_invalid()
    {
        var chat = Chat.Start();
        chat.Say("перевод");
        chat.Say("0");
        Assert.False(chat.State.Slots.ContainsKey("amount"));
    }

    [Fact]
    public void Condition_with_a_command_hands_off_after_the_scenario()
    {
        var chat = Chat.Start();
        chat.Say("перевод");
        chat.Say("200000");
        var result = chat.Say("AB-0001");
        var handoff = Assert.IsType<TurnOutcome.Handoff>(result.Outcome);
        Assert.Equal("vip", handoff.Line);
        Assert.Equal("requested", handoff.Reason);
    }

    [Theory]
    [InlineData("8 (912) 345-67-89")]
    [InlineData("+7 912 345 67 89")]
    [InlineData("9123456789")]
    public void Phone_slot_is_normalised_to_plus_seven(string typed)
    {
        var chat = Chat.Start();
        var question = chat.Say("перезвоните");
        Assert.Equal(["Ваш телефон?"], question.Texts());
        Assert.Equal("пример.png", question.Messages[0].Attachments.Single().Name);
        var done = chat.Say(typed);
        Assert.Equal("+79123456789", chat.State.Slots["phone"]);
        Assert.Equal(["Перезвоним на +7 (912) 345-67-89."], done.Texts());
    }

    [Fact]
    public void Phone_slot_refuses_a_short_number()
    {
        var chat = Chat.Start();
        chat.Say("перезвоните");
        Assert.Equal(["Введите номер телефона в формате +7 (###) ###-##-##.", "Ваш телефон?"], chat.Say("12345").Texts());
    }

    [Fact]
    public void Already_filled_slot_asks_the_second_question_and_yes_keeps_the_value()
    {
        var chat = Chat.Start();
        chat.Say("перезвоните");
        chat.Say("89123456789");
        var question = chat.Say("перезвоните");
        Assert.Equal(["Ваш номер всё ещё +7 (912) 345-67-89?"], question.Texts());
        Assert.Equal(["yes", "no"], question.Messages[0].Buttons.Select(b => b.Value));
        var done = chat.Choose(question.Messages[0].Buttons[0]);
        Assert.Equal(["Перезвоним на +7 (912) 345-67-89."], done.Texts());
    }

    [Fact]
    public void Already_filled_slot_no_asks_again_and_a_new_value_is_also_accepted()
    {
        var chat = Chat.Start();
        chat.Say("перезвоните");
        chat.Say("89123456789");
        chat.Say("перезвоните");
        Assert.Equal(["Ваш телефон?"], chat.Say("нет").Texts());
        chat.Say("89990000000");
        Assert.Equal("+79990000000", chat.State.Slots["phone"]);

        chat.Say("перезвоните");
        var direct = chat.Say("+7 901 111 22 33");
        Assert.Equal(["Перезвоним на +7 (901) 111-22-33."], direct.Texts());
    }

    [Fact]
    public void Hidden_slots_are_filled_from_what_the_client_wrote_and_never_asked()
    {
        var chat = Chat.Start();
        chat.Say("Срочно! Проблема в Питере");
        var question = chat.Say("жалоба");
        Assert.Equal(["Опишите проблему"], question.Texts());
        var done = chat.Say("не работает банкомат");
        Assert.Equal(["Срочная жалоба!", "Город: Санкт-Петербург.", "Жалоба принята: не работает банкомат"], done.Texts());
        Assert.Equal("true", chat.State.Slots["urgent"]);
        Assert.Equal("spb", chat.State.Slots["city"]);
    }

    [Fact]
    public void Hidden_slots_without_a_match_leave_conditional_answers_out()
    {
        var chat = Chat.Start();
        chat.Say("жалоба");
        var done = chat.Say("всё плохо");
        Assert.Equal(["Жалоба принята: всё плохо"], done.Texts());
        Assert.Equal("false", chat.State.Slots["urgent"]);
        Assert.False(chat.State.Slots.ContainsKey("city"));
    }

    [Theory]
    [InlineData("отмена")]
    [InlineData("Cancel")]
    [InlineData("Отменить!")]
    public void Cancel_leaves_the_scenario_and_forgets_its_values(string word)
    {
        var chat = Chat.Start();
        chat.Say("перевод");
        chat.Say("100");
        var result = chat.Say(word);
        Assert.Equal(["Хорошо, отменили."], result.Texts());
        Assert.Null(chat.State.Scenario);
        Assert.False(chat.State.Slots.ContainsKey("amount"));
        Assert.Equal(["Какая сумма?"], chat.Say("перевод").Texts());
    }

    [Fact]
    public void Cancel_in_english()
    {
        var chat = Chat.Start(language: "en");
        chat.Say("перевод");
        Assert.Equal(["OK, cancelled."], chat.Say("cancel").Texts());
    }

    [Fact]
    public void An_article_button_leaves_the_scenario()
    {
        var chat = Chat.Start();
        chat.Say("перевод");
        Assert.Equal(["Выберите тему"], chat.Press("menu").Texts());
        Assert.Null(chat.State.Scenario);
    }

    [Fact]
    public void Policy_first_sends_one_answer()
    {
        Assert.Equal(["A"], Chat.Start().Say("первый").Texts());
    }

    [Fact]
    public void Policy_all_sends_every_answer_with_attachments()
    {
        var result = Chat.Start().Say("все");
        Assert.Equal(["A", "B"], result.Texts());
        Assert.Equal("files/a.pdf", result.Messages[0].Attachments.Single().Url);
    }

    [Fact]
    public void Policy_random_is_reproducible_with_a_seed_and_varies()
    {
        string[] Run(int seed)
        {
            var chat = Chat.Start(random: new Random(seed));
            return Enumerable.Range(0, 12).Select(_ => chat.Say("случайный").Texts().Single()).ToArray();
        }
        Assert.Equal(Run(7), Run(7));
        Assert.True(Run(7).Distinct().Count() > 1);
        Assert.All(Run(7), t => Assert.Contains(t, new[] { "A", "B", "C" }));
    }

    [Fact]
    public void Operator_command_hands_off_to_the_line()
    {
        var handoff = Assert.IsType<TurnOutcome.Handoff>(Chat.Start().Say("оператор").Outcome);
        Assert.Equal("support", handoff.Line);
        Assert.Equal(["cards", "vip"], handoff.Skills);
    }

    [Theory]
    [InlineData("/operator", null, "")]
    [InlineData("/operator cards", "cards", "")]
    [InlineData("/operator skills=vip", null, "vip")]
    [InlineData("/operator cards skills=vip, fraud", null, null)] // a space inside the list makes a fourth word
    [InlineData("/operator cards skills=vip,fraud", "cards", "vip,fraud")]
    [InlineData("/operator cards loans", null, null)]
    [InlineData("/operator skills=", null, null)]
    [InlineData("/operator skills=a skills=b", null, null)]
    public void Operator_command_names_an_optional_line_and_skills(string text, string? line, string? skills)
    {
        Assert.True(AnswerCommand.TryParse(text, out var command, out var error));
        if (skills is null)
        {
            Assert.Null(command);
            Assert.Contains("/operator [LINE] [skills=A,B]", error, StringComparison.Ordinal);
            return;
        }
        var op = Assert.IsType<AnswerCommand.Operator>(command);
        Assert.Equal(line, op.Line);
        Assert.Equal(skills, string.Join(",", op.Skills));
    }

    [Fact]
    public void Close_command_after_a_message()
    {
        var result = Chat.Start().Say("пока");
        Assert.Equal(["До свидания!"], result.Texts());
        Assert.IsType<TurnOutcome.Close>(result.Outcome);
    }

    [Fact]
    public void Redirect_after_the_scenario_names_the_agent_and_keeps_the_slots()
    {
        var chat = Chat.Start();
        Assert.Equal(["Ваш регион?"], chat.Say("погода").Texts());
        var result = chat.Say("Тверская область");
        Assert.Equal("weather", Assert.IsType<TurnOutcome.Redirect>(result.Outcome).AgentId);
        Assert.Equal("weather", chat.State.ExternalAgentId);
        Assert.Equal("Тверская область", chat.State.Slots["region"]);
    }

    [Fact]
    public void Misses_give_the_fallback_then_a_handoff()
    {
        var chat = Chat.Start();
        Assert.Equal(["Не понял вас."], chat.Say("абракадабра").Texts());
        Assert.Equal("no_confident_match", Assert.IsType<TurnOutcome.Handoff>(chat.Say("ещё абракадабра").Outcome).Reason);
    }

    [Fact]
    public void Out_of_hours_queue_mode_sends_the_notice_and_queues()
    {
        // The article's own "connecting you" is not said: nobody is there to connect to.
        var result = Chat.Start(TestKb.Evening).Say("оператор");
        Assert.Equal(["Операторы работают с 9 до 18, ваш вопрос в очереди."], result.Texts());
        var handoff = Assert.IsType<TurnOutcome.Handoff>(result.Outcome);
        Assert.True(handoff.OutOfHours);
        Assert.Equal("support", handoff.Line);
    }

    [Fact]
    public void Holidays_are_out_of_hours()
    {
        Assert.True(Assert.IsType<TurnOutcome.Handoff>(Chat.Start(TestKb.NewYearNoon).Say("оператор").Outcome).OutOfHours);
        Assert.False(Assert.IsType<TurnOutcome.Handoff>(Chat.Start(TestKb.WorkingHours).Say("оператор").Outcome).OutOfHours);
    }

    [Fact]
    public void In_hours_the_handoff_articles_own_words_are_said()
    {
        var result = Chat.Start(TestKb.WorkingHours).Say("оператор");
        Assert.Equal(["Соединяю с оператором."], result.Texts());
        Assert.IsType<TurnOutcome.Handoff>(result.Outcome);
    }

    [Fact]
    public void Out_of_hours_collect_mode_asks_for_contacts_and_requests_a_callback()
    {
        var chat = Chat.Start(TestKb.Evening, context: new DialogContext { CallCentre = "night" });
        var first = chat.Say("оператор");
        Assert.Equal(["Сейчас никто не работает, оставьте контакты.", "Как к вам обращаться?"], first.Texts());
        Assert.IsType<TurnOutcome.Continue>(first.Outcome);
        Assert.Equal(["Ваш телефон?"], chat.Say("Анна").Texts());
        var done = chat.Say("8 912 345 67 89");
        Assert.Equal(["Спасибо, Анна, перезвоним на +7 (912) 345-67-89."], done.Texts());
        var callback = Assert.IsType<TurnOutcome.CallbackRequested>(done.Outcome);
        Assert.Equal("support", callback.Line);
        Assert.Equal("+79123456789", callback.Contacts["phone"]);
        Assert.Equal("Анна", callback.Contacts["name"]);
    }

    [Fact]
    public void Access_settings_filter_matched_articles_by_context()
    {
        var vip = new DialogContext { CallCentre = "vip", Line = "vip-line", Skills = ["premium"] };
        Assert.Equal(["VIP"], Chat.Start(context: vip).Say("вип").Texts());
        Assert.Equal(["Не понял вас."], Chat.Start(context: vip with { CallCentre = "main" }).Say("вип").Texts());
        Assert.Equal(["Не понял вас."], Chat.Start(context: vip with { Line = "other" }).Say("вип").Texts());
        Assert.Equal(["Не понял вас."], Chat.Start(context: vip with { Skills = ["cards"] }).Say("вип").Texts());
        Assert.Equal(["Sorry, I did not get that."], Chat.Start(language: "en", context: vip).Say("вип").Texts());
        Assert.Equal(["VIP"], Chat.Start().Say("вип").Texts()); // no context: language only
    }

    [Fact]
    public void A_kb_change_under_a_running_scenario_starts_afresh()
    {
        var kb = TestKb.Load();
        var chat = Chat.Start(kb: kb);
        chat.Say("перевод");
        var state = chat.State;
        var changed = TestKb.Load();
        changed.Articles.RemoveAll(a => a.Id == "transfer");
        var runner = new DialogRunner(changed, new FakeMatcher(changed), new DialogRunnerOptions(), new FixedTime(TestKb.WorkingHours));
        var result = runner.Run(state, new ClientInput("меню", null, "ru"));
        Assert.Equal(["Выберите тему"], result.Texts());
    }
}
