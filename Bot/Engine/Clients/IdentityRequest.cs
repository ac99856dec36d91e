using System.Text.Json.Nodes;

namespace BotEngine.Engine.Clients;

/// <summary>
/// What the widget tells about its visitor: the pre-chat form's values (unsigned), or a signed-in customer's fields
/// with the site's <see cref="Signature"/> (and <see cref="Timestamp"/> for the HMAC scheme).
/// </summary>
public sealed record IdentityRequest(
    string? FirstName = null,
    string? LastName = null,
    string? Phone = null,
    string? Email = null,
    string? Contract = null,
    JsonObject? Fields = null,
    string? Signature = null,
    long? Timestamp = null);
