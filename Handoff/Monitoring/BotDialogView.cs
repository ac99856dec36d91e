namespace BotEngine.Handoff;

public sealed record BotDialogView(string DialogId, string ClientId, DateTimeOffset Since);
