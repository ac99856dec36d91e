namespace BotEngine.Engine.Clients;

/// <summary>A pre-chat form field: a profile field (firstName, lastName, phone, email, contract or fields.&lt;name&gt;).</summary>
public sealed record PreChatField(string Name, bool Required = false, bool CyrillicOnly = false);
