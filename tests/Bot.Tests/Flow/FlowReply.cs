using BotEngine.Engine.Schema;

namespace BotEngine.Bot.Tests.Flow;

/// <summary>A message the client received, as its Direct Line stream holds it.</summary>
public sealed record FlowReply(Activity Activity)
{
    public string? Text => Activity.Text;
    public string? ReplyToId => Activity.ReplyToId;

    /// <summary>Who wrote it on the engine's side: bot, operator or system.</summary>
    public string? Author => Activity.ChannelData?["author"]?.GetValue<string>();

    public string? FromName => Activity.From?.Name;
    public IReadOnlyList<CardAction> Buttons => Activity.SuggestedActions?.Actions ?? [];

    public CardAction Button(string title) =>
        Buttons.SingleOrDefault(b => b.Title == title)
        ?? throw new Xunit.Sdk.XunitException($"The reply \"{Text}\" has no button \"{title}\"; it has: {string.Join(", ", Buttons.Select(b => b.Title))}.");

    public override string ToString() => $"{Author}: {Text}";
}
