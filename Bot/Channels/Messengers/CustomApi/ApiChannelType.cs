using System.Text.Json.Nodes;
using BotEngine.Engine.Channels;

namespace BotEngine.Channels.Messengers.CustomApi;

/// <summary>
/// A company's own app as a channel: <c>apiKey</c> (the app posts client messages with it as a bearer token),
/// optional <c>webhookUrl</c> (our replies are pushed there, signed with <c>webhookSecret</c>); without a webhook the
/// app reads the replies by polling.
/// </summary>
public sealed class ApiChannelType : IChannelType
{
    public const string TypeName = "api";

    public string Name => TypeName;

    public IReadOnlyCollection<string> SecretSettings { get; } = ["apiKey", "webhookSecret"];

    public JsonObject Validate(JsonObject settings)
    {
        ChannelSettingsReader.OnlyKnown(settings, "API channel", ["apiKey", "webhookUrl", "webhookSecret"]);
        var apiKey = ChannelSettingsReader.Required(settings, "apiKey", "the key the app sends as 'Authorization: Bearer <apiKey>' (at least 24 characters)");
        if (apiKey.Length is < 24 or > 200 || apiKey.Any(char.IsWhiteSpace))
            throw new ChannelSettingsException("settings.apiKey: 24-200 characters without spaces, so that it cannot be guessed.");
        var webhookUrl = ChannelSettingsReader.Url(settings, "webhookUrl");
        var webhookSecret = ChannelSettingsReader.Text(settings, "webhookSecret", 200);
        if (webhookUrl is not null && webhookSecret is not { Length: >= 16 })
            throw new ChannelSettingsException("settings.webhookSecret: required with a webhookUrl (at least 16 characters), so that the app can check our signature.");
        return ChannelSettingsReader.Collect(("apiKey", apiKey), ("webhookUrl", webhookUrl), ("webhookSecret", webhookSecret));
    }

    public string? WebhookPath(string channelId) => ApiChannelEndpoints.MessagesPathOf(channelId);
}
