namespace BotEngine.Bot.Api;

/// <summary>A reply the bot would send: Markdown text and the labels of its buttons and attachments.</summary>
public sealed record KbTrialMessage(string Text, string? ArticleId, IReadOnlyList<string> Buttons, IReadOnlyList<string> Attachments);
