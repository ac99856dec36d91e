using BotEngine.Engine.Pipeline;

namespace BotEngine.Bot.Tests;

public sealed class KnownConversationsTests
{
    [Fact]
    public void The_memory_keeps_up_to_its_capacity_and_then_starts_afresh()
    {
        var known = new KnownConversations();
        for (var i = 0; i < KnownConversations.Capacity; i++)
            known.Remember($"conversation-{i}", new KnownConversation("account", $"client-{i}", $"dialog-{i}"));
        Assert.Equal("client-0", known.Find("conversation-0")?.ClientId);
        Assert.Equal($"dialog-{KnownConversations.Capacity - 1}", known.Find($"conversation-{KnownConversations.Capacity - 1}")?.DialogId);

        // A conversation it keeps already is updated in place, even when full.
        known.Remember("conversation-0", new KnownConversation("account", "client-0", "dialog-next"));
        Assert.Equal("dialog-next", known.Find("conversation-0")?.DialogId);
        Assert.NotNull(known.Find("conversation-1"));

        // One more conversation than it holds: the rest are forgotten, the new one kept.
        known.Remember("one-more", new KnownConversation("account", "client-x", "dialog-x"));
        Assert.Null(known.Find("conversation-0"));
        Assert.Null(known.Find("conversation-1"));
        Assert.Equal("dialog-x", known.Find("one-more")?.DialogId);
    }
}
