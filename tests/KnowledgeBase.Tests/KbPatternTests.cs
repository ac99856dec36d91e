using System.Diagnostics;

namespace BotEngine.KnowledgeBase.Tests;

/// <summary>
/// A KB pattern with catastrophic backtracking (<c>^(a+)+$</c>) against a long "aaaa…!" runs past the time limit:
/// that is "no match", never an exception that fails the turn (and, before, blocked the conversation for good).
/// </summary>
public class KbPatternTests
{
    private const string Catastrophic = "^(a+)+$";
    private static readonly string Hostile = new string('a', 40) + "!";

    [Fact]
    public void A_regex_extract_answer_that_times_out_is_an_invalid_answer()
    {
        var slot = new SlotDefinition { Id = "code", Type = SlotType.RegexExtract, Pattern = Catastrophic };
        var watch = Stopwatch.StartNew();
        Assert.False(SlotValues.TryParseAnswer(slot, Hostile, null, out _));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.True(SlotValues.TryParseAnswer(slot, "aaaa", null, out var value));
        Assert.Equal("aaaa", value);
    }

    [Fact]
    public void A_regex_match_slot_that_times_out_is_false()
    {
        var slot = new SlotDefinition { Id = "flag", Type = SlotType.RegexMatch, Kind = SlotKind.Hidden, Pattern = Catastrophic };
        Assert.True(SlotValues.TryParseAnswer(slot, Hostile, null, out var answered));
        Assert.Equal("false", answered);
        Assert.True(SlotValues.TryFind(slot, [Hostile], out var found));
        Assert.Equal("false", found);
        Assert.True(SlotValues.TryFind(slot, ["aaa"], out var matched));
        Assert.Equal("true", matched);
    }

    [Fact]
    public void A_pattern_stored_before_validation_that_does_not_compile_matches_nothing()
    {
        Assert.False(KbPatterns.IsMatch("abc", "(unclosed"));
        Assert.False(KbPatterns.Match("abc", "(unclosed").Success);
        Assert.NotNull(KbPatterns.CompileError("(unclosed"));
        Assert.Null(KbPatterns.CompileError(Catastrophic));
    }

    [Fact]
    public void The_slot_asks_again_after_an_answer_whose_match_timed_out()
    {
        var kb = TestKb.Load();
        kb.Slots.Single(s => s.Id == "contract").Pattern = Catastrophic;
        Assert.Empty(KbValidator.Validate(kb));
        var chat = Chat.Start(kb: kb);
        Assert.Equal(["Какая сумма?"], chat.Say("перевод").Texts());
        Assert.Equal(["Номер договора?"], chat.Say("5000").Texts());
        Assert.Equal(["Номер договора выглядит так: AB-1234.", "Номер договора?"], chat.Say(Hostile).Texts());
        Assert.False(chat.State.Slots.ContainsKey("contract"));
    }

    [Fact]
    public void A_matches_condition_that_times_out_does_not_hold()
    {
        var kb = TestKb.Load();
        kb.Articles.Single(a => a.Id == "complaint").Answers.Insert(0, new Answer
        {
            Text = "matched",
            Conditions = [new AnswerCondition { Slot = "comment", Operator = ConditionOperator.Matches, Value = Catastrophic }],
        });
        Assert.Empty(KbValidator.Validate(kb));
        var chat = Chat.Start(kb: kb);
        Assert.Equal(["Опишите проблему"], chat.Say("жалоба").Texts());
        var done = chat.Say(Hostile);
        Assert.DoesNotContain("matched", done.Texts());
        Assert.Contains("Жалоба принята: " + Hostile, done.Texts());
    }
}
