namespace BotEngine.KnowledgeBase.Tests;

public class DidYouMeanTests
{
    /// <summary>A classifier stand-in that gives fixed candidates per text.</summary>
    private sealed class ScriptedMatcher(Dictionary<string, ArticleCandidate[]> answers) : IArticleMatcher
    {
        public IReadOnlyList<ArticleCandidate> Match(string text, string language) => answers.GetValueOrDefault(text.Trim()) ?? [];
    }

    private static readonly Dictionary<string, ArticleCandidate[]> Script = new()
    {
        ["close call"] = [new("policy_first", 0.50), new("policy_all", 0.45), new("bye", 0.05)],
        ["unsure"] = [new("policy_first", 0.25), new("policy_all", 0.22), new("bye", 0.21), new("operator", 0.2)],
        ["clear"] = [new("policy_first", 0.90), new("policy_all", 0.05)],
        ["one weak guess"] = [new("policy_first", 0.25), new("policy_all", 0.02)],
        ["vip or all"] = [new("vip_only", 0.50), new("policy_all", 0.45), new("policy_first", 0.40)],
    };

    private static Chat Start(double? clarifyFrom = 0.2, string language = "ru")
    {
        var kb = TestKb.Load();
        var options = new DialogRunnerOptions { ClarifyMinConfidence = clarifyFrom };
        return new Chat(new DialogRunner(kb, new ScriptedMatcher(Script), options, new FixedTime(TestKb.WorkingHours), new Random(1)), language);
    }

    [Fact]
    public void Two_close_articles_are_offered_as_buttons_and_the_pick_answers_and_comes_back_as_an_example()
    {
        var chat = Start();
        var question = chat.Say("close call");
        Assert.Equal(["Вы имели в виду:"], question.Texts());
        Assert.Equal(["policy_first", "policy_all"], question.Messages[0].Buttons.Select(b => b.Article));
        Assert.Equal(["Первый", "Все"], question.Messages[0].Buttons.Select(b => b.Label));
        Assert.IsType<TurnOutcome.Continue>(question.Outcome);
        Assert.Null(question.Clarified);

        var answer = chat.Press("policy_all");
        Assert.Equal("policy_all", answer.Messages[0].ArticleId);
        Assert.Equal(new ClarifiedExample("close call", "policy_all", "ru"), answer.Clarified);
        Assert.Null(chat.State.Clarification);
    }

    [Fact]
    public void Below_the_answer_threshold_up_to_three_candidates_are_offered_instead_of_the_fallback()
    {
        var chat = Start();
        var question = chat.Say("unsure");
        Assert.Equal(["policy_first", "policy_all", "bye"], question.Messages[0].Buttons.Select(b => b.Article));
        Assert.Equal(0, chat.State.ConsecutiveMisses);
    }

    [Fact]
    public void A_clear_winner_is_answered_and_a_single_weak_guess_falls_back_as_before()
    {
        var chat = Start();
        var clear = chat.Say("clear");
        Assert.Equal("policy_first", clear.Messages[0].ArticleId);
        Assert.Null(chat.State.Clarification);

        var weak = chat.Say("one weak guess");
        Assert.Equal(["Не понял вас."], weak.Texts());
        Assert.Empty(weak.Messages[0].Buttons);
        Assert.Equal(1, chat.State.ConsecutiveMisses);
    }

    [Fact]
    public void An_article_the_dialog_may_not_see_is_never_offered()
    {
        // vip_only is for Russian dialogs only
        var question = Start(language: "en").Say("vip or all");
        Assert.Equal(["Did you mean:"], question.Texts());
        Assert.Equal(["policy_all", "policy_first"], question.Messages[0].Buttons.Select(b => b.Article));
        Assert.Equal(["vip_only", "policy_all", "policy_first"], Start().Say("vip or all").Messages[0].Buttons.Select(b => b.Article));
    }

    [Fact]
    public void Typing_something_else_or_pressing_another_article_teaches_nothing()
    {
        var chat = Start();
        chat.Say("close call");
        var other = chat.Press("bye");
        Assert.Null(other.Clarified);
        chat.Say("close call");
        var typed = chat.Say("clear");
        Assert.Null(typed.Clarified);
        Assert.Null(chat.State.Clarification);
    }

    [Fact]
    public void Off_by_default_the_close_call_is_answered_with_the_best_article()
    {
        var result = Start(clarifyFrom: null).Say("close call");
        Assert.Equal("policy_first", result.Messages[0].ArticleId);
        var unsure = Start(clarifyFrom: null).Say("unsure");
        Assert.Empty(unsure.Messages[0].Buttons);
    }
}
