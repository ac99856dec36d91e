using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using BotEngine.Http;

namespace BotEngine.Channels.DirectLine;

public sealed record DirectLineClaims(
    [property: JsonPropertyName("conv")] string ConversationId,
    [property: JsonPropertyName("user")] string? UserId,
    [property: JsonPropertyName("exp")] long ExpiresAt);
