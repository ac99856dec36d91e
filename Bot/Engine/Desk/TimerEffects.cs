using System.Data.Common;
using System.Text.Json;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Pipeline;
using BotEngine.Storage;
using BotEngine.Handoff;
using Dapper;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Desk;

/// <summary>What a timer event changed, for the caller to announce after the commit.</summary>
public sealed record TimerEffects(IReadOnlyList<MessageRow> Sent, bool Requeued, bool Released);
