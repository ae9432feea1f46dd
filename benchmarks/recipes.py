"""The lecture notes' training settings, which the benchmark injects into the notebooks.

Each entry maps a notebook to the values its ``parameters`` cells get in the benchmark's
``lecture`` run (see :mod:`benchmarks.parameters`); the ``course`` run uses the notebook as it
is. A model the lecture gives no settings for has no entry: it trains the course's way in both
runs. Fast mode still shrinks the epochs, as it does for the course's settings.

Used by: ``benchmarks``.
"""

LECTURE_SETTINGS = {
    "03_linear_autoencoder": {
        # lecture 1: the linear AE on 60 points of the sheet, one batch, plain SGD at 1.5
        "SHEET_SETTINGS": dict(optimizer="SGD", learning_rate=1.5, loss="mse", batch_size=60, epochs=300),
    },
    "04_deep_autoencoders": {
        # lecture 1: the stacked Fashion-MNIST AE, plain SGD
        "STACKED_SETTINGS": dict(optimizer="SGD", learning_rate=1.5, loss="binary_crossentropy", batch_size=32,
                                 epochs=20),
        # lecture 2: 784-100-20-100-784 with a ReLU output, MSE and RMSprop (Keras's default rate)
        "AE20_SETTINGS": dict(output_activation="relu", optimizer="RMSprop", learning_rate=1e-3, loss="mse",
                              batch_size=128, epochs=50),
    },
    "05_conv_recurrent_autoencoders": {
        # lecture 1: the transposed-convolution AE, plain SGD at 1.0
        "CONV_SETTINGS": dict(optimizer="SGD", learning_rate=1.0, loss="binary_crossentropy", batch_size=32, epochs=5),
        # lecture 2: ReLU everywhere (it gives no training settings, so ours train it)
        "UPSAMPLING_SETTINGS": dict(hidden_activation="relu", output_activation="relu",
                                    optimizer="Adam", learning_rate=3e-3, loss="mse", batch_size=128, epochs=2),
        # lecture 3: the recurrent AE, SGD at 0.1 with cross-entropy for 10 epochs
        "RECURRENT_SETTINGS": dict(optimizer="SGD", learning_rate=0.1, loss="binary_crossentropy", batch_size=32,
                                   epochs=10),
    },
    "06_denoising_regularized_autoencoders": {
        # the lecture's denoisers: plain SGD at 1.0 with cross-entropy (on our 784-1024-784 model)
        "GAUSSIAN_SETTINGS": dict(optimizer="SGD", learning_rate=1.0, loss="binary_crossentropy", batch_size=32,
                                  epochs=10),
        "DROPOUT_SETTINGS": dict(optimizer="SGD", learning_rate=1.0, loss="binary_crossentropy", batch_size=32,
                                 epochs=10),
        # the lecture's conv denoiser: its architecture, MSE, RMSprop at Keras's default rate, 50 epochs
        "CONV_DENOISER_SETTINGS": dict(architecture="lecture", optimizer="RMSprop", learning_rate=1e-3, loss="mse",
                                       batch_size=128, epochs=50),
    },
    "07_lstm_classifiers": {
        # the lecture's LSTM(128): Adam at its default rate, constant, no clipping, batches of 64
        "LSTM_SETTINGS": dict(optimizer="Adam", learning_rate=1e-3, loss="sparse_categorical_crossentropy",
                              batch_size=64, epochs=10),
    },
}
