using System.Globalization;
using BotEngine.Engine.Schema;
using BotEngine.Storage.Messages;

namespace BotEngine.Engine.Channels;

/// <summary>
/// Finds which of the buttons we offered a client chose: by a button's payload (<see cref="ButtonPayload"/>), by the
/// label of a button of a named message (Viber echoes the message's tracking data), or by the number of an option
/// when a channel could only show the options as a numbered list.
/// </summary>
public sealed class OfferedActions(SentActivities sent)
{
    /// <summary>The action a button payload points at, or null when the payload is not ours or the message is gone.</summary>
    public async Task<CardAction?> PressedAsync(string conversationId, string? payload, CancellationToken cancellationToken) =>
        ButtonPayload.TryParse(payload, out var messageId, out var index)
            ? At(await ActionsAsync(conversationId, messageId, cancellationToken), index)
            : null;

    /// <summary>The action of a message whose label is exactly <paramref name="label"/>, or null.</summary>
    public async Task<CardAction?> LabelledAsync(string conversationId, string? messageId, string? label, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(messageId) || string.IsNullOrWhiteSpace(label))
            return null;
        var actions = await ActionsAsync(conversationId, messageId, cancellationToken);
        return actions?.FirstOrDefault(a => a.Type != "openUrl" && string.Equals(LabelOf(a), label.Trim(), StringComparison.Ordinal));
    }

    /// <summary>
    /// The option a client chose by typing its number ("2") after our newest message offered numbered options; null
    /// for any other text.
    /// </summary>
    public async Task<CardAction?> NumberedAsync(string conversationId, string? text, CancellationToken cancellationToken)
    {
        if (text is null || text.Trim() is not { Length: > 0 and <= 3 } digits
            || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            return null;
        if (await sent.LatestAsync(conversationId, cancellationToken) is not { } json)
            return null;
        var choices = Choices(ActivityJson.Deserialize(json));
        return number <= choices.Count ? choices[number - 1] : null;
    }

    /// <summary>The actions a client can choose (links excluded), in the order they are offered and numbered.</summary>
    public static IReadOnlyList<CardAction> Choices(Activity activity) =>
        activity.SuggestedActions?.Actions?.Where(a => a.Type != "openUrl").ToList() ?? [];

    public static string LabelOf(CardAction action) => action.Title ?? action.Text ?? action.Value?.ToString() ?? "?";

    private async Task<IList<CardAction>?> ActionsAsync(string conversationId, string messageId, CancellationToken cancellationToken) =>
        await sent.FindAsync(conversationId, messageId, cancellationToken) is { } json
            ? ActivityJson.Deserialize(json).SuggestedActions?.Actions
            : null;

    private static CardAction? At(IList<CardAction>? actions, int index) => actions is not null && index < actions.Count ? actions[index] : null;
}
