using System.Text.Json.Nodes;

namespace BotEngine.Channels.Messengers.CustomApi;

/// <summary>A client's message as the company's app posts it.</summary>
/// <param name="UserId">The client's id in the app: one conversation per user.</param>
/// <param name="MessageId">The app's id for this message: a repeat with the same id is stored once.</param>
/// <param name="Value">A button's value or form data, passed to the bot as the activity's value.</param>
/// <param name="FileUrl">A file the client sent, fetched into the engine's file store.</param>
public sealed record ApiChannelMessage(
    string? UserId,
    string? MessageId,
    string? Text,
    string? UserName = null,
    string? Locale = null,
    JsonObject? Value = null,
    string? FileUrl = null,
    string? FileName = null,
    string? Phone = null);
