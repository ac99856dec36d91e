using BotEngine.Conversations;
using BotEngine.Handoff;

namespace BotEngine.Bot.Tests;

/// <summary>The stored names of the routing core's dialog states: one name each, and back.</summary>
public sealed class DialogStatesTests
{
    [Fact]
    public void Every_state_has_its_own_stored_name_that_reads_back_to_it()
    {
        var states = Enum.GetValues<DialogState>();
        Assert.Equal(states.Length, DialogStates.All.Distinct(StringComparer.Ordinal).Count());
        Assert.All(states, s => Assert.Equal(s, DialogStates.Parse(DialogStates.Name(s))));
        Assert.Equal(["bot", "queued", "assigned", "active", "detached", "closed"], DialogStates.All);
    }

    [Fact]
    public void An_unknown_stored_name_is_refused_with_the_name()
    {
        var error = Assert.Throws<FormatException>(() => DialogStates.Parse("Queued"));
        Assert.Contains("'Queued'", error.Message, StringComparison.Ordinal);
    }
}
