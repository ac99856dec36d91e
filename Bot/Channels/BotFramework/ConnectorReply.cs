using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Channels.Messengers;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Schema;
using BotEngine.Storage.Channels;

namespace BotEngine.Channels.BotFramework;

/// <summary>
/// One of our messages as Connector activities: Markdown text (textFormat markdown, split at the channel's length),
/// choices as suggested actions (imBack: a press comes back as the label's text), links as a hero card of openUrl
/// buttons, files as attachments by our file URL. What does not fit degrades into the text: options numbered so the
/// client can type the number, links as "label: URL". Buttons and attachments ride on the last activity.
/// </summary>
public static class ConnectorReply
{
    public const string HeroCard = "application/vnd.microsoft.card.hero";

    public static IReadOnlyList<JsonObject> Build(Activity ours, ConnectorConversationRow conversation)
    {
        var capabilities = ChannelCapabilities.Of(BotFrameworkChannelType.TypeName);
        var text = new StringBuilder(ours.Text ?? "");
        var choices = OfferedActions.Choices(ours).Select(OfferedActions.LabelOf).ToList();
        var links = (ours.SuggestedActions?.Actions ?? []).Where(a => a.Type == "openUrl" && LinkOf(a) is not null)
            .Select(a => (Label: OfferedActions.LabelOf(a), Url: LinkOf(a)!)).ToList();

        var suggested = new JsonArray();
        if (choices.Count > capabilities.MaxButtons || choices.Any(c => c.Length > capabilities.MaxButtonLabel))
            AppendBlock(text, choices.Select((c, i) => $"{i + 1}. {c}"));
        else
            choices.ForEach(c => suggested.Add(new JsonObject { ["type"] = "imBack", ["title"] = c, ["value"] = c }));

        var attachments = new JsonArray();
        if (links.Count is > 0 and var count && count <= capabilities.MaxButtons && links.All(l => l.Label.Length <= capabilities.MaxButtonLabel))
        {
            var buttons = new JsonArray([.. links.Select(l => (JsonNode)new JsonObject { ["type"] = "openUrl", ["title"] = l.Label, ["value"] = l.Url })]);
            attachments.Add(new JsonObject { ["contentType"] = HeroCard, ["content"] = new JsonObject { ["buttons"] = buttons } });
        }
        else
        {
            AppendBlock(text, links.Select(l => $"{l.Label}: {l.Url}"));
        }
        foreach (var file in (ours.Attachments ?? []).Where(a => a.ContentUrl is not null))
            attachments.Add(new JsonObject { ["contentType"] = file.ContentType ?? "application/octet-stream", ["contentUrl"] = file.ContentUrl, ["name"] = file.Name ?? "file" });

        var parts = MessengerContent.Split(text.ToString(), capabilities.MaxTextLength).ToList();
        if (parts.Count == 0 && (suggested.Count > 0 || attachments.Count == 0))
            parts.Add(suggested.Count > 0 ? "👇" : "");
        var activities = new List<JsonObject>();
        for (var i = 0; i < Math.Max(parts.Count, 1); i++)
        {
            var activity = new JsonObject
            {
                ["type"] = "message",
                ["from"] = new JsonObject { ["id"] = conversation.BotId, ["name"] = conversation.BotName },
                ["recipient"] = new JsonObject { ["id"] = conversation.UserId, ["name"] = conversation.UserName },
                ["conversation"] = new JsonObject { ["id"] = conversation.RemoteId },
                ["textFormat"] = ours.TextFormat == "plain" ? "plain" : "markdown",
            };
            if (i < parts.Count && parts[i].Length > 0)
                activity["text"] = parts[i];
            if (ours.Locale is { } locale)
                activity["locale"] = locale;
            if (i == Math.Max(parts.Count, 1) - 1)
            {
                if (suggested.Count > 0)
                    activity["suggestedActions"] = new JsonObject { ["to"] = new JsonArray(conversation.UserId), ["actions"] = suggested.DeepClone() };
                if (attachments.Count > 0)
                    activity["attachments"] = attachments.DeepClone();
            }
            activities.Add(activity);
        }
        return activities;
    }

    /// <summary>Our choice for a client's text: the option whose label it is (an imBack press) or whose number it typed.</summary>
    public static CardAction? ChoiceOf(Activity offered, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var choices = OfferedActions.Choices(offered);
        var typed = text.Trim();
        return choices.FirstOrDefault(c => string.Equals(OfferedActions.LabelOf(c), typed, StringComparison.Ordinal))
            ?? (int.TryParse(typed, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 && number <= choices.Count ? choices[number - 1] : null);
    }

    private static string? LinkOf(CardAction action) =>
        action.Value is JsonValue value && value.TryGetValue<string>(out var url)
        && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.AbsoluteUri : null;

    private static void AppendBlock(StringBuilder text, IEnumerable<string> lines)
    {
        var block = string.Join('\n', lines);
        if (block.Length == 0)
            return;
        if (text.Length > 0)
            text.Append("\n\n");
        text.Append(block);
    }
}
