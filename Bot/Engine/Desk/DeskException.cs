using System.Data.Common;
using System.Text.Json;
using BotEngine.Engine.Agents;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using BotEngine.Handoff;
using Dapper;

namespace BotEngine.Engine.Desk;

/// <summary>A request the caller got wrong; the API maps it to a 4xx with this message.</summary>
public sealed class DeskException(int statusCode, string message, string? code = null) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
    public string? Code { get; } = code;

    public static DeskException From(HandoffError error) => new(error.HttpStatus, error.Message, error.Code);
}
