namespace BotEngine.Engine.Channels;

/// <summary>
/// What a channel can show, so an answer is rendered in the best form it supports and degrades where it cannot
/// (buttons become numbered options, links plain text). One row per channel type: <see cref="Of"/>.
/// </summary>
public sealed record ChannelCapabilities(
    bool Buttons,
    bool UrlButtons,
    int MaxButtons,
    int MaxButtonLabel,
    bool Images,
    bool Files,
    bool RichText,
    int MaxTextLength,
    bool ContactRequest)
{
    private static readonly Dictionary<string, ChannelCapabilities> Table = new(StringComparer.Ordinal)
    {
        ["directline"] = new(Buttons: true, UrlButtons: true, MaxButtons: 100, MaxButtonLabel: 200, Images: true, Files: true, RichText: true, MaxTextLength: 100_000, ContactRequest: false),
        // Bot API: 4096 characters per message, callback data of 64 bytes, 100 inline buttons, labels shown up to ~64 characters.
        ["telegram"] = new(Buttons: true, UrlButtons: true, MaxButtons: 100, MaxButtonLabel: 64, Images: true, Files: true, RichText: true, MaxTextLength: 4096, ContactRequest: true),
        // REST bot API: 7000 characters, a keyboard of up to 24 buttons; pictures and files go by URL.
        ["viber"] = new(Buttons: true, UrlButtons: true, MaxButtons: 24, MaxButtonLabel: 120, Images: true, Files: true, RichText: false, MaxTextLength: 7000, ContactRequest: true),
        // messages.send: 4096 characters, an inline keyboard of 10 buttons with labels of 40; files need VK's own upload, so links.
        ["vk"] = new(Buttons: true, UrlButtons: true, MaxButtons: 10, MaxButtonLabel: 40, Images: false, Files: false, RichText: false, MaxTextLength: 4096, ContactRequest: false),
        // Send API: 2000 characters, 13 quick replies with titles of 20 (quick replies cannot open links, so links are text).
        // Bot Framework Connector (Teams, Azure's Web Chat): Markdown, suggested actions (Teams shows up to 6), hero cards of
        // openUrl buttons, pictures and files by URL; Teams takes about 28 KB a message.
        ["botframework"] = new(Buttons: true, UrlButtons: true, MaxButtons: 6, MaxButtonLabel: 100, Images: true, Files: true, RichText: true, MaxTextLength: 20_000, ContactRequest: false),
        ["facebook"] = new(Buttons: true, UrlButtons: false, MaxButtons: 13, MaxButtonLabel: 20, Images: true, Files: true, RichText: false, MaxTextLength: 2000, ContactRequest: true),
        // HTML mail: no buttons (options are numbered for the client to answer with the number, links are links), any
        // file as an attachment, a mail as long as it needs to be.
        ["email"] = new(Buttons: false, UrlButtons: false, MaxButtons: 0, MaxButtonLabel: 0, Images: true, Files: true, RichText: true, MaxTextLength: 100_000, ContactRequest: false),
    };

    /// <summary>Plain text and nothing else: what an unknown type gets.</summary>
    public static readonly ChannelCapabilities PlainText = new(false, false, 0, 0, false, false, false, 4096, false);

    public static ChannelCapabilities Of(string type) => Table.GetValueOrDefault(type) ?? PlainText;
}
