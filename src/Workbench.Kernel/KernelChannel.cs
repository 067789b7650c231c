namespace Workbench.Kernel;

/// <summary>The five sockets of a Jupyter kernel.</summary>
public enum KernelChannel
{
    /// <summary>Requests from front ends (execute, complete, inspect, history, …), served one at a time.</summary>
    Shell,

    /// <summary>Outputs and status, broadcast to every front end.</summary>
    IOPub,

    /// <summary>Input requests to the front end that sent the running execute_request.</summary>
    Stdin,

    /// <summary>Interrupt and shutdown, served at once even while a cell runs.</summary>
    Control,

    /// <summary>Heartbeat echo.</summary>
    Heartbeat,
}
