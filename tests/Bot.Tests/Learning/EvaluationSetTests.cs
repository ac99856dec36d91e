using BotEngine.Engine.Learning;
using BotEngine.Storage.Learning;

namespace BotEngine.Bot.Tests.Learning;

/// <summary>The frozen evaluation set: stratified per intent, decided once, grown with new labels, a text on one side only.</summary>
public sealed class EvaluationSetTests
{
    [Fact]
    public void Every_fifth_distinct_text_of_an_intent_is_held_out_and_the_decisions_never_change_as_labels_arrive()
    {
        var rows = new List<TrainingExampleRow>();
        for (var i = 0; i < 10; i++)
            rows.Add(Label($"card {i}", "card", i));
        for (var i = 0; i < 4; i++)
            rows.Add(Label($"rates {i}", "rates", 100 + i));
        for (var i = 0; i < 5; i++)
            rows.Add(Label($"weather {i}", null, 200 + i)); // "not an intent" is an intent of its own here

        Apply(rows, EvaluationSet.Decide(rows, 0.2));
        Assert.Equal(["card 4", "card 9", "weather 4"], rows.Where(r => r.HeldOut == 1).Select(r => r.Text).Order().ToArray());
        Assert.All(rows, r => Assert.NotNull(r.HeldOut)); // an intent with four texts keeps them all for training
        Assert.Empty(EvaluationSet.Decide(rows, 0.2)); // decided once

        // New labels: decided in turn, the old ones untouched (a share of 0.5 now would hold back more of them).
        rows.Add(Label("rates 4", "rates", 300));
        rows.Add(Label("card 10", "card", 301));
        var second = EvaluationSet.Decide(rows, 0.2);
        Assert.Equal([("rates 4", true), ("card 10", false)], second.Select(d => (rows.Single(r => r.Id == d.Id).Text, d.HeldOut)).ToArray());
    }

    [Fact]
    public void A_text_labelled_again_follows_its_first_decision_and_other_sources_always_train()
    {
        var rows = Enumerable.Range(0, 5).Select(i => Label($"card {i}", "card", i)).ToList();
        Apply(rows, EvaluationSet.Decide(rows, 0.2));
        var held = Assert.Single(rows, r => r.HeldOut == 1);

        // The same text (written differently) labelled again, even as another article, stays out of training; an
        // operator's choice is never held out.
        rows.Add(Label(held.Text.ToUpperInvariant() + "!", "rates", 10));
        rows.Add(new TrainingExampleRow { Id = "choice", Text = "card 7", ArticleId = "card", Source = TrainingSources.OperatorChoice, CreatedAt = 11 });
        var decisions = EvaluationSet.Decide(rows, 0.2);
        Assert.Equal([true], decisions.Select(d => d.HeldOut).ToArray());

        var document = new BotEngine.KnowledgeBase.KbDocument();
        document.Articles.Add(new BotEngine.KnowledgeBase.Article { Id = "card", Questions = ["lost card", "card stolen"] });
        document.Articles.Add(new BotEngine.KnowledgeBase.Article { Id = "rates", Questions = ["rates"] });
        Apply(rows, decisions);
        var set = TrainingSet.Build(document, rows);
        Assert.DoesNotContain(set.Examples, e => e.Text.Equals(held.Text, StringComparison.OrdinalIgnoreCase) || e.Text.StartsWith(held.Text.ToUpperInvariant(), StringComparison.Ordinal));
        Assert.Contains(set.Examples, e => e.Text == "card 7");
        Assert.Equal(2, EvaluationSet.Examples(document, rows).Count);
    }

    private static TrainingExampleRow Label(string text, string? article, long at) => new()
    {
        Id = "l" + at, Text = text, Language = "en", ArticleId = article, Source = TrainingSources.ManualLabel, Weight = 1, CreatedAt = at,
    };

    private static IReadOnlyList<(string Id, bool HeldOut)> Apply(List<TrainingExampleRow> rows, IReadOnlyList<(string Id, bool HeldOut)> decisions)
    {
        foreach (var (id, heldOut) in decisions)
            rows.Single(r => r.Id == id).HeldOut = heldOut ? 1 : 0;
        return decisions;
    }
}
