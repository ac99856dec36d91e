namespace BotEngine.KnowledgeBase.Tests;

/// <summary>An external agent's handoff meets the call centre's business hours as an article's <c>/operator</c> does.</summary>
public sealed class AgentHandoffHoursTests
{
    private static readonly TurnResult AgentHandsOff = new(
        [new OutgoingMessage("Передаю ваш вопрос оператору.", [], [], null)],
        new TurnOutcome.Handoff("support", "external_agent") { OperatorId = "olga" },
        new DialogState());

    private static DialogRunner RunnerAt(DateTimeOffset now)
    {
        var kb = TestKb.Load();
        return new DialogRunner(kb, new FakeMatcher(kb), new DialogRunnerOptions(), new FixedTime(now));
    }

    [Fact]
    public void In_hours_the_agents_handoff_stays_as_it_is()
    {
        var result = RunnerAt(TestKb.WorkingHours).HandOffInHours(AgentHandsOff, "ru", null);
        Assert.Same(AgentHandsOff, result);
    }

    [Fact]
    public void Out_of_hours_the_agents_words_come_first_then_the_calendars_notice_and_the_queue_keeps_line_and_operator()
    {
        var runner = RunnerAt(TestKb.Evening);
        var result = runner.HandOffInHours(AgentHandsOff, "ru", null);
        Assert.Equal(["Передаю ваш вопрос оператору.", "Операторы работают с 9 до 18, ваш вопрос в очереди."], result.Texts());
        var handoff = Assert.IsType<TurnOutcome.Handoff>(result.Outcome);
        Assert.True(handoff.OutOfHours);
        Assert.Equal("support", handoff.Line);
        Assert.Equal("olga", handoff.OperatorId);
        // Applied once: a handoff already marked out of hours is not given a second notice.
        Assert.Same(result, runner.HandOffInHours(result, "ru", null));
    }

    [Fact]
    public void Out_of_hours_in_collect_mode_the_agents_handoff_becomes_the_contact_form()
    {
        var result = RunnerAt(TestKb.Evening).HandOffInHours(AgentHandsOff with { State = new DialogState() }, "ru", new DialogContext { CallCentre = "night" });
        Assert.Equal(["Передаю ваш вопрос оператору.", "Сейчас никто не работает, оставьте контакты.", "Как к вам обращаться?"], result.Texts());
        Assert.IsType<TurnOutcome.Continue>(result.Outcome);
        Assert.NotNull(result.State.Scenario);
    }
}
