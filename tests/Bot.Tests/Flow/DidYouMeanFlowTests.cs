namespace BotEngine.Bot.Tests.Flow;

/// <summary>"Did you mean" through the engine: the option reaches the dialog runner, and a pressed button answers.</summary>
public sealed class DidYouMeanFlowTests
{
    private const string Vague = "карта";

    [Fact]
    public async Task With_the_option_a_vague_message_gets_the_candidate_articles_as_buttons()
    {
        // An answer threshold no article reaches makes every message "unsure": the demo KB has several card articles.
        await using var engine = await FlowEngine.StartAsync(extraArgs: ["--Knowledge:MinConfidence=0.99", "--Knowledge:ClarifyMinConfidence=0.02"]);
        await engine.Flow()
            .Send(Vague)
            .ExpectAnswer(r =>
            {
                Assert.Equal("Вы имели в виду:", r.Text);
                Assert.InRange(r.Buttons.Count, 2, 3);
            })
            // The pick is answered with its article, not asked again.
            .Press(_ => true)
            .ExpectAnswer(r => Assert.NotEqual("Вы имели в виду:", r.Text));
    }

    [Fact]
    public async Task Without_it_the_same_message_gets_no_question()
    {
        await using var engine = await FlowEngine.StartAsync(extraArgs: ["--Knowledge:MinConfidence=0.99"]);
        await engine.Flow()
            .Send(Vague)
            .ExpectAnswer(r => Assert.NotEqual("Вы имели в виду:", r.Text));
    }
}
