namespace BotEngine.Engine.Pipeline;

public sealed record InboundReceipt(string MessageId, string DialogId, bool Duplicate);
