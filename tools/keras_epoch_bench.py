#!/usr/bin/env python3
"""Epoch time of the FF12 report's Keras models on the ff12 training rows: the speed reference of
kdd_ae.yaml, kdd_vae.yaml, kdd_bigan.yaml and kdd_seq2seq.yaml.

The four networks as in the report's code (github.com/fastforwardlabs/deepad, models/*.py), on the
97,278 scaled ff12 training rows (tools/sklearn_ocsvm.py builds them), batch 256, trained the way
that code trains them: autoencoder, VAE and Seq2Seq with model.fit, the BiGAN with train_on_batch on every batch
(over full epochs, not the code's one batch per "epoch"). Prints a table of the median epoch time
of epochs 2.. (the first one includes graph tracing). Compare with the epoch column of
`./runner bench experiments/kdd_{ae,vae,bigan,seq2seq}.yaml` run on the same machine at the same time.

    python3 -m venv /tmp/keras && /tmp/keras/bin/pip install tensorflow-cpu
    /tmp/keras/bin/python tools/keras_epoch_bench.py --epochs 3
"""
import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow import keras  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sklearn_ocsvm import ff12_training_rows  # noqa: E402

BATCH = 256


class EpochTimes(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.times = []

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.times.append(time.perf_counter() - self.start)


class Vae(keras.Model):
    """Encoder [15, 7] -> z_mean, z_log_var (2) -> sample -> decoder [7, 15] -> sigmoid; n x MSE + KL."""

    def __init__(self, n):
        super().__init__()
        self.n = n
        self.enc = keras.Sequential([keras.layers.Dense(15, activation="relu"), keras.layers.Dense(7, activation="relu")])
        self.z_mean = keras.layers.Dense(2)
        self.z_log_var = keras.layers.Dense(2)
        self.dec = keras.Sequential([keras.layers.Dense(7, activation="relu"), keras.layers.Dense(15, activation="relu"),
                                     keras.layers.Dense(n, activation="sigmoid")])

    def train_step(self, x):
        with tf.GradientTape() as tape:
            h = self.enc(x)
            mean, log_var = self.z_mean(h), self.z_log_var(h)
            z = mean + tf.exp(0.5 * log_var) * tf.random.normal(tf.shape(mean))
            out = self.dec(z)
            mse = tf.reduce_mean(tf.square(x - out), axis=1)
            kl = -0.5 * tf.reduce_sum(1 + log_var - tf.square(mean) - tf.exp(log_var), axis=1)
            loss = tf.reduce_mean(self.n * mse + kl)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


def vae_epochs(x, epochs):
    model = Vae(x.shape[1])
    model.compile(optimizer="adam")
    times = EpochTimes()
    model.fit(x, epochs=epochs, batch_size=BATCH, shuffle=True, verbose=0, callbacks=[times])
    return times.times


def ae_epochs(x, epochs):
    """The report's autoencoder: 15-7-2-7-15 relu, sigmoid output, MSE, Adam."""
    n = x.shape[1]
    model = keras.Sequential([keras.Input((n,))] + [keras.layers.Dense(u, activation="relu") for u in (15, 7, 2, 7, 15)]
                             + [keras.layers.Dense(n, activation="sigmoid")])
    model.compile(optimizer="adam", loss="mse")
    times = EpochTimes()
    model.fit(x, x, epochs=epochs, batch_size=BATCH, shuffle=True, verbose=0, callbacks=[times])
    return times.times


def seq2seq_epochs(x, epochs):
    steps = x.shape[1]
    seq = x[:, :, None]
    shifted = np.concatenate([np.zeros_like(seq[:, :1]), seq[:, :-1]], axis=1)  # teacher forcing input
    enc_in = keras.Input((steps, 1))
    _, fh, fc, bh, bc = keras.layers.Bidirectional(keras.layers.LSTM(10, return_state=True))(enc_in)
    state = [keras.layers.Concatenate()([fh, bh]), keras.layers.Concatenate()([fc, bc])]
    dec_in = keras.Input((steps, 1))
    dec = keras.layers.LSTM(20, return_sequences=True)(dec_in, initial_state=state)
    out = keras.layers.Dense(1)(dec)
    model = keras.Model([enc_in, dec_in], out)
    model.compile(optimizer="adam", loss="mse")
    times = EpochTimes()
    model.fit([seq, shifted], seq, epochs=epochs, batch_size=BATCH, shuffle=True, verbose=0, callbacks=[times])
    return times.times


def bigan_epochs(x, epochs, latent=2, dense=128, dropout=0.2):
    n = x.shape[1]
    enc = keras.Sequential([keras.Input((n,)), keras.layers.Dense(dense), keras.layers.LeakyReLU(0.2), keras.layers.Dense(latent)])
    gen = keras.Sequential([keras.Input((latent,)), keras.layers.Dense(dense), keras.layers.LeakyReLU(0.2),
                            keras.layers.Dense(n, activation="sigmoid")])
    xi, zi = keras.Input((n,)), keras.Input((latent,))
    h = keras.layers.Concatenate()([zi, xi])
    h = keras.layers.Dropout(dropout)(h)
    h = keras.layers.LeakyReLU(0.2)(keras.layers.Dense(dense)(h))
    h = keras.layers.Dropout(dropout)(h)
    dis = keras.Model([xi, zi], keras.layers.Dense(1, activation="sigmoid")(h))
    dis.compile(optimizer=keras.optimizers.Adam(1e-3, 0.5), loss="binary_crossentropy")
    gx, gz = keras.Input((n,)), keras.Input((latent,))
    fake, real = dis([gen(gz), gz]), dis([gx, enc(gx)])
    gan = keras.Model([gx, gz], [fake, real])
    dis.trainable = False
    gan.compile(optimizer=keras.optimizers.Adam(1e-3, 0.5), loss=["binary_crossentropy", "binary_crossentropy"])
    rng = np.random.default_rng(0)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = rng.permutation(len(x))
        for b in range(0, len(x), BATCH):
            xb = x[order[b:b + BATCH]]
            zb = rng.standard_normal((len(xb), latent)).astype(np.float32)
            ones, zeros = np.ones((len(xb), 1)), np.zeros((len(xb), 1))
            dis.trainable = True   # Keras 3 reads trainable at each step, not at compile time
            dis.train_on_batch([xb, enc.predict_on_batch(xb)], ones)
            dis.train_on_batch([gen.predict_on_batch(zb), zb], zeros)
            dis.trainable = False
            gan.train_on_batch([xb, zb], [ones, zeros])
        times.append(time.perf_counter() - start)
    return times


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default="data/kdd99/kddcup.data_10_percent.gz")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--models", default="ae,vae,bigan,seq2seq")
    a = p.parse_args()
    x = ff12_training_rows(a.data).astype(np.float32)
    runs = {"ae": ae_epochs, "vae": vae_epochs, "bigan": bigan_epochs, "seq2seq": seq2seq_epochs}
    print(f"Keras {keras.__version__}, TensorFlow {tf.__version__}, {len(x)} rows, batch {BATCH}")
    print("| model | epoch times (s) | median of epochs 2.. (s) |")
    print("|---|---|---:|")
    for name in a.models.split(","):
        t = runs[name](x, a.epochs)
        rest = t[1:] if len(t) > 1 else t
        print(f"| {name} | {', '.join(f'{v:.2f}' for v in t)} | {statistics.median(rest):.2f} |", flush=True)


if __name__ == "__main__":
    main()
