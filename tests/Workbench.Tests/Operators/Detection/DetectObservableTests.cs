using System.Reactive.Subjects;
using Workbench.Core;
using Workbench.Operators.Detection;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Operators.Detection;

public class DetectObservableTests
{
    private sealed record ThrowingDetector(int FailAt) : IDetector
    {
        public string Name => "throwing";

        public string Spec => "throwing";

        public double Threshold => 1;

        public IDetectorKernel CreateKernel() => new Kernel(FailAt);

        private sealed class Kernel(int failAt) : IDetectorKernel
        {
            private int _seen;

            public double? Update(DateTime timestamp, double? value) =>
                ++_seen == failAt ? throw new InvalidOperationException("kernel failed") : value;
        }
    }

    [Fact]
    public void KernelException_EndsTheStreamWithOneOnError_AndUnsubscribesUpstream()
    {
        var subject = new Subject<LabeledObservation>();
        var seen = new List<double?>();
        var errors = new List<Exception>();
        var completed = 0;
        using var sub = subject.Detect(new ThrowingDetector(3)).Subscribe(s => seen.Add(s.Score), errors.Add, () => completed++);

        foreach (var o in Series("s", 1, 2, 3, 4))
        {
            subject.OnNext(o);
        }

        subject.OnCompleted();

        Assert.Equal([1.0, 2.0], seen);
        Assert.Equal("kernel failed", Assert.Single(errors).Message);
        Assert.Equal(0, completed);
        Assert.False(subject.HasObservers);
    }
}
