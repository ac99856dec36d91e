using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotEngine.KnowledgeBase;

/// <summary>Enums as camelCase strings; reading ignores case, numbers are refused.</summary>
public sealed class CamelCaseEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where T : struct, Enum;
