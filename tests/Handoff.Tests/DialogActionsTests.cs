using static BotEngine.Handoff.Tests.Fixtures;

namespace BotEngine.Handoff.Tests;

public class DialogActionsTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly DialogActions _actions;
    private readonly OperatorProfile _anna = Op("anna");
    private readonly OperatorProfile _senior = Op("senior", OperatorRole, SeniorRole);

    public DialogActionsTests() => _actions = new DialogActions(_clock);

    private Dialog Queued(RoutingRequirements? r = null) =>
        _actions.Escalate(Dialog.StartWithBot("d1", "c1", _clock.GetUtcNow()), r ?? RoutingRequirements.Create(language: "ru"), "no answer").Value.Dialog;

    private Dialog AssignedTo(OperatorProfile op) =>
        _actions.Assign(Queued(), new Assignment("d1", op.Id, AssignmentReason.LeastLoaded, false)).Value.Dialog;

    private Dialog ActiveWith(OperatorProfile op) => _actions.Accept(AssignedTo(op), op).Value.Dialog;

    [Fact]
    public void Escalate_assign_accept_reply_close_happy_path_bumps_versions()
    {
        var bot = Dialog.StartWithBot("d1", "c1", _clock.GetUtcNow());
        Assert.Equal(ClientMessageRoute.Bot, DialogActions.RouteClientMessage(bot));

        var queued = _actions.Escalate(bot, RoutingRequirements.Create(language: "ru"), "operator requested").Value;
        Assert.Equal(DialogState.Queued, queued.Dialog.State);
        Assert.Equal(1, queued.Dialog.Version);
        Assert.IsType<DialogEvent.Queued>(queued.Event);
        Assert.NotNull(queued.Dialog.ToQueued());
        Assert.Equal(ClientMessageRoute.Queue, DialogActions.RouteClientMessage(queued.Dialog));

        _clock.Advance(TimeSpan.FromSeconds(30));
        var assigned = _actions.Assign(queued.Dialog, new Assignment("d1", "anna", AssignmentReason.LeastLoaded, false)).Value.Dialog;
        Assert.Equal((DialogState.Assigned, "anna", 2L), (assigned.State, assigned.OperatorId, assigned.Version));
        Assert.Equal(ClientMessageRoute.Operator, DialogActions.RouteClientMessage(assigned));

        var active = _actions.Accept(assigned, _anna).Value.Dialog;
        Assert.Equal(DialogState.Active, active.State);
        Assert.Equal(_clock.GetUtcNow(), active.AcceptedAt);

        var reply = _actions.Reply(active, _anna, OperatorReply.OfText("Здравствуйте!")).Value;
        Assert.Same(active, reply.Dialog);
        Assert.IsType<DialogEvent.Replied>(reply.Event);

        var closed = _actions.Close(active, _anna, "Карты: блокировка", null).Value;
        Assert.Equal(DialogState.Closed, closed.Dialog.State);
        Assert.Equal(new ClosingInfo(CloseReason.Operator, "Карты: блокировка", null, "anna", _clock.GetUtcNow()), closed.Dialog.Closing);
        Assert.Null(closed.Dialog.OperatorId);

        // Issue item 6: the next client message opens a new dialog with the bot.
        Assert.Equal(ClientMessageRoute.NewBotDialog, DialogActions.RouteClientMessage(closed.Dialog));
    }

    [Fact]
    public void Assign_conflicts_when_another_node_already_assigned()
    {
        var assigned = AssignedTo(_anna);
        var again = _actions.Assign(assigned, new Assignment("d1", "boris", AssignmentReason.LeastLoaded, false));
        Assert.Equal(409, again.Error!.HttpStatus);
        Assert.Equal(400, _actions.Assign(Queued(), new Assignment("other", "anna", AssignmentReason.LeastLoaded, false)).Error!.HttpStatus);
    }

    [Fact]
    public void Only_the_owner_may_act_and_reply_needs_accept()
    {
        var assigned = AssignedTo(_anna);
        var boris = Op("boris");
        Assert.Equal("dialog.not_owner", _actions.Accept(assigned, boris).Error!.Code);
        Assert.Equal("dialog.not_accepted", _actions.Reply(assigned, _anna, OperatorReply.OfText("hi")).Error!.Code);
        Assert.Equal(403, _actions.Close(assigned, boris, "t", null).Error!.HttpStatus);

        var active = _actions.Accept(assigned, _anna).Value.Dialog;
        Assert.Equal(409, _actions.Accept(active, _anna).Error!.HttpStatus);
        Assert.Equal(400, _actions.Reply(active, _anna, new OperatorReply(" ", [])).Error!.HttpStatus);

        var closed = _actions.Close(active, _anna, "t", null).Value.Dialog;
        Assert.Equal(409, _actions.Reply(closed, _anna, OperatorReply.OfText("late")).Error!.HttpStatus);
        Assert.Equal(409, _actions.Close(closed, _anna, "t", null).Error!.HttpStatus);
    }

    [Fact]
    public void Attachments_need_send_files_or_send_pics()
    {
        var active = ActiveWith(_anna); // anna has send_pics only
        Assert.True(_actions.Reply(active, _anna, new OperatorReply(null, [AttachmentKind.Picture])).IsSuccess);
        var file = _actions.Reply(active, _anna, new OperatorReply("see file", [AttachmentKind.File]));
        Assert.Equal(403, file.Error!.HttpStatus);
        Assert.Contains("send_files", file.Error.Message);
    }

    [Fact]
    public void Close_requires_topic_and_dissatisfaction_only_for_permitted_operators()
    {
        var seniorActive = ActiveWith(_senior);
        Assert.Equal("close.topic_required", _actions.Close(seniorActive, _senior, " ", false).Error!.Code);
        Assert.Equal("close.dissatisfaction_required", _actions.Close(seniorActive, _senior, "topic", null).Error!.Code);
        var closed = _actions.Close(seniorActive, _senior, "topic", true).Value.Dialog;
        Assert.True(closed.Closing!.ClientDissatisfied);

        var annaActive = ActiveWith(_anna);
        Assert.Equal(403, _actions.Close(annaActive, _anna, "topic", true).Error!.HttpStatus);
        Assert.True(_actions.Close(annaActive, _anna, "topic", null).IsSuccess);
    }

    [Fact]
    public void Transfer_to_operator_targets_them_with_the_note_shown_first()
    {
        var active = ActiveWith(_anna);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var t = _actions.Transfer(active, _anna, new TransferTarget.ToOperator("boris"), "  VIP, уже проверила карту ").Value;
        Assert.Equal(DialogState.Queued, t.Dialog.State);
        Assert.Null(t.Dialog.OperatorId);
        Assert.Equal("boris", t.Dialog.Requirements.TargetOperator);
        Assert.Equal(new TransferNote("anna", "VIP, уже проверила карту", _clock.GetUtcNow()), t.Dialog.PendingNote);

        var router = new Router();
        var a = router.RouteOne(t.Dialog.ToQueued()!, [Online("anna"), Online("carl"), Online("boris", active: 2)], _clock.GetUtcNow())!;
        Assert.Equal("boris", a.OperatorId);
        var assigned = _actions.Assign(t.Dialog, a).Value;
        Assert.Equal(t.Dialog.PendingNote, ((DialogEvent.Assigned)assigned.Event).Note);
        var boris = Op("boris");
        var accepted = _actions.Accept(assigned.Dialog, boris).Value;
        Assert.Equal(t.Dialog.PendingNote, ((DialogEvent.Accepted)accepted.Event).Note);
        Assert.Null(accepted.Dialog.PendingNote);
    }

    [Fact]
    public void Transfer_to_line_or_skills_requeues_avoiding_the_sender()
    {
        var active = ActiveWith(_anna);
        var toLine = _actions.Transfer(active, _anna, new TransferTarget.ToLine("l2"), null).Value.Dialog;
        Assert.Equal("l2", toLine.Requirements.Line);
        Assert.Contains("anna", toLine.Requirements.AvoidOperators);
        Assert.Null(toLine.PendingNote);

        var toSkills = _actions.Transfer(active, _anna, new TransferTarget.ToSkills(new HashSet<string> { "fraud" }), "fraud?").Value.Dialog;
        Assert.Equal(["fraud"], toSkills.Requirements.Skills);
        Assert.Equal("ru", toSkills.Requirements.Language);

        var router = new Router();
        Assert.Equal("other", router.RouteOne(toSkills.ToQueued()!, [Online("anna", skills: ["fraud"]), Online("other", active: 2, skills: ["fraud"])], _clock.GetUtcNow())!.OperatorId);
    }

    [Fact]
    public void Transfer_to_a_language_with_skills_keeps_the_line_and_routes_by_both()
    {
        var active = ActiveWith(_anna);
        var moved = _actions.Transfer(active, _anna, new TransferTarget.ToGroup(null, "en", new HashSet<string> { "fraud" }), "English speaker").Value.Dialog;
        Assert.Equal("en", moved.Requirements.Language);
        Assert.Equal(["fraud"], moved.Requirements.Skills);
        Assert.Equal(active.Requirements.Line, moved.Requirements.Line);
        Assert.Equal("English speaker", moved.PendingNote!.Text);

        var router = new Router();
        var operators = new[] { Online("ru-fraud", languages: ["ru"], skills: ["fraud"]), Online("en-plain", languages: ["en"]), Online("en-fraud", active: 2, languages: ["en"], skills: ["fraud"]) };
        Assert.Equal("en-fraud", router.RouteOne(moved.ToQueued()!, operators, _clock.GetUtcNow())!.OperatorId);
        Assert.Equal("transfer.target", _actions.Transfer(active, _anna, new TransferTarget.ToGroup(" ", null, new HashSet<string>()), null).Error!.Code);
    }

    [Fact]
    public void Transfer_back_to_bot_and_invalid_targets()
    {
        var active = ActiveWith(_anna);
        var toBot = _actions.Transfer(active, _anna, new TransferTarget.ToBot(), null).Value.Dialog;
        Assert.Equal(DialogState.Bot, toBot.State);
        Assert.Null(toBot.OperatorId);

        Assert.Equal("transfer.self", _actions.Transfer(active, _anna, new TransferTarget.ToOperator("anna"), null).Error!.Code);
        Assert.Equal(400, _actions.Transfer(active, _anna, new TransferTarget.ToLine(""), null).Error!.HttpStatus);
        Assert.Equal(400, _actions.Transfer(active, _anna, new TransferTarget.ToSkills(new HashSet<string>()), null).Error!.HttpStatus);

        var noReroute = new OperatorProfile("nr", "nr", [Role.Of("basic", Permission.ViewClient)], RoutingProfile.Create());
        var theirs = _actions.Accept(AssignedTo(noReroute), noReroute).Value.Dialog;
        Assert.Equal(403, _actions.Transfer(theirs, noReroute, new TransferTarget.ToBot(), null).Error!.HttpStatus);
    }

    [Fact]
    public void Requeue_after_operator_timeout_avoids_that_operator_and_keeps_waiting_time()
    {
        var queuedAt = _clock.GetUtcNow();
        var r = RoutingRequirements.Create(language: "ru") with { PreferredOperators = ["anna", "boris"] };
        var d = _actions.Escalate(Dialog.StartWithBot("d1", "c1", queuedAt), r, "x").Value.Dialog;
        d = _actions.Assign(d, new Assignment("d1", "anna", AssignmentReason.PreferredOperator, false)).Value.Dialog;
        _clock.Advance(TimeSpan.FromMinutes(2));

        var requeued = _actions.Requeue(d, RequeueReason.OperatorTimeout).Value;
        Assert.Equal(DialogState.Queued, requeued.Dialog.State);
        Assert.Equal(queuedAt, requeued.Dialog.QueuedAt);
        Assert.Contains("anna", requeued.Dialog.Requirements.AvoidOperators);
        Assert.Equal(["boris"], requeued.Dialog.Requirements.PreferredOperators);
        Assert.Equal(new DialogEvent.Requeued("d1", _clock.GetUtcNow(), "anna", RequeueReason.OperatorTimeout), requeued.Event);

        var byStatus = _actions.Requeue(d, RequeueReason.OperatorStatus).Value.Dialog;
        Assert.Empty(byStatus.Requirements.AvoidOperators);
        Assert.Equal(409, _actions.Requeue(requeued.Dialog, RequeueReason.OperatorStatus).Error!.HttpStatus);
    }

    [Fact]
    public void Detach_then_client_message_reattaches_preferring_the_same_operator()
    {
        var active = ActiveWith(_anna);
        var detached = _actions.Detach(active).Value.Dialog;
        Assert.Equal(DialogState.Detached, detached.State);
        Assert.Null(detached.OperatorId);
        Assert.Equal("anna", detached.LastOperatorId);
        Assert.Equal(ClientMessageRoute.Reattach, DialogActions.RouteClientMessage(detached));

        _clock.Advance(TimeSpan.FromMinutes(20));
        var back = _actions.Reattach(detached).Value.Dialog;
        Assert.Equal(DialogState.Queued, back.State);
        Assert.Equal("anna", back.Requirements.PreferredOperators[0]);
        Assert.Equal(_clock.GetUtcNow(), back.QueuedAt);

        var a = new Router().RouteOne(back.ToQueued()!, [Online("boris"), Online("anna", active: 2)], _clock.GetUtcNow())!;
        Assert.Equal(("anna", AssignmentReason.PreferredOperator), (a.OperatorId, a.Reason));
        Assert.Equal(409, _actions.Reattach(back).Error!.HttpStatus);
    }

    [Fact]
    public void System_close_from_any_open_state()
    {
        var active = ActiveWith(_anna);
        var closed = _actions.CloseBySystem(active, CloseReason.Idle).Value.Dialog;
        Assert.Equal(CloseReason.Idle, closed.Closing!.Reason);
        Assert.Equal(409, _actions.CloseBySystem(closed, CloseReason.Idle).Error!.HttpStatus);
        Assert.True(_actions.CloseBySystem(Queued(), CloseReason.Supervisor, "sup").IsSuccess);
    }

    [Fact]
    public void Failed_result_value_throws_exception_carrying_the_error()
    {
        var r = _actions.Accept(Queued(), _anna);
        var ex = Assert.Throws<HandoffException>(() => r.Value);
        Assert.Equal(409, ex.Error.HttpStatus);
    }
}
