using BotEngine.KnowledgeBase;

namespace BotEngine.Bot.Api;

/// <summary>
/// "Test the bot": a client's message, tried against the saved KB or, with <see cref="Draft"/>, against the KB as it
/// would be with that article saved. <see cref="State"/> is the state a previous trial returned, so a scenario goes on.
/// </summary>
public sealed class KbTrialRequest
{
    public string Text { get; set; } = "";
    public string Language { get; set; } = "ru";
    public Article? Draft { get; set; }
    public string? CallCentre { get; set; }
    public string? Line { get; set; }
    public DialogState? State { get; set; }
}
