namespace BotEngine.Channels.Messengers;

/// <summary>A button as a messenger shows it: a label and either our payload (a choice) or a link.</summary>
public sealed record MessengerButton(string Label, string? Payload, string? Url);
