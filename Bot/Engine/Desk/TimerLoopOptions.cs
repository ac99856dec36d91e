using System.Data.Common;
using System.Text.Json;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Pipeline;
using BotEngine.Storage;
using BotEngine.Handoff;
using Dapper;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Desk;

public sealed class TimerLoopOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
