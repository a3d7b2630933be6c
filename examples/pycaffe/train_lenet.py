"""Learning LeNet through pycaffe, as Caffe's "learning LeNet" notebook does, on Kaffee.

Run from the repository root after `bash data/get_fashion_mnist.sh`:

    PYTHONPATH=python python3 examples/pycaffe/train_lenet.py [ITERATIONS] [OUT_DIR]

It steps caffe.SGDSolver over solvers/lenet_solver.prototxt (defaults: 1000 iterations into
runs/pycaffe_lenet), records the training loss of every iteration and the test accuracy every
100, and plots them to loss.png with matplotlib (Debian's python3-matplotlib) or, without it,
writes loss.csv.
"""
import os
import sys

import numpy as np

import caffe

# ---- set-up: the solver file and its nets --------------------------------------------------
iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
out_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join('runs', 'pycaffe_lenet')
os.makedirs(out_dir, exist_ok=True)
caffe.set_mode_cpu()
caffe.init_log(1)  # warnings only: this script prints its own progress
solver = caffe.SGDSolver('solvers/lenet_solver.prototxt')
print('train net blobs:', [(name, blob.data.shape) for name, blob in solver.net.blobs.items()])

# ---- train: one step at a time, reading the loss straight from the net's memory -------------
test_every, test_batches = 100, 20
losses = np.zeros(iterations)
accuracies = []
for it in range(iterations):
    solver.step(1)
    losses[it] = solver.net.blobs['loss'].data
    if it % test_every == 0 or it == iterations - 1:
        test = solver.test_nets[0]
        correct = 0
        for _ in range(test_batches):
            test.forward()
            correct += (test.blobs['ip2'].data.argmax(1) == test.blobs['label'].data).sum()
        accuracy = correct / float(test_batches * test.blobs['label'].data.shape[0])
        accuracies.append((it, accuracy))
        print('iteration %d: loss %.4f, test accuracy %.4f' % (it, losses[it], accuracy))

# ---- the learned weights, and the curves -------------------------------------------------------
solver.net.save(os.path.join(out_dir, 'lenet_pycaffe.caffemodel'))
try:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
if plt is not None:
    fig, loss_axis = plt.subplots()
    loss_axis.plot(np.arange(iterations), losses)
    loss_axis.set_xlabel('iteration')
    loss_axis.set_ylabel('train loss')
    accuracy_axis = loss_axis.twinx()
    accuracy_axis.plot([i for i, _ in accuracies], [a for _, a in accuracies], 'r')
    accuracy_axis.set_ylabel('test accuracy')
    fig.savefig(os.path.join(out_dir, 'loss.png'))
    print('wrote', os.path.join(out_dir, 'loss.png'))
else:
    with open(os.path.join(out_dir, 'loss.csv'), 'w') as out:
        out.write('iteration,loss\n')
        out.writelines('%d,%g\n' % (i, loss) for i, loss in enumerate(losses))
    print('wrote', os.path.join(out_dir, 'loss.csv'), '(install python3-matplotlib for a plot)')
