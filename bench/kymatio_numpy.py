"""Kymatio's NumPy frontend on a .npy stack of images, the reference for `wavegraph scatter`.

  python3 bench/kymatio_numpy.py J L MAX_ORDER IN.npy OUT.npy

Run it as a whole process (the bench times it with /usr/bin/time, as it times
`wavegraph scatter`), on the threads OMP_NUM_THREADS allows. Exits with status 3 when
Kymatio is not installed.
"""
import sys

import numpy as np

try:
    from kymatio.numpy import Scattering2D
except ImportError as e:
    print(f'kymatio is not installed ({e}); pip install kymatio', file=sys.stderr)
    sys.exit(3)

J, L, order = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
x = np.load(sys.argv[4])
S = Scattering2D(J=J, shape=x.shape[-2:], L=L, max_order=order)
np.save(sys.argv[5], S(x).astype(np.float32))
